package io.culex.persistence.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;

/**
 * The bytes of one {@link StoreEvent} in the log and in snapshots (the body of a frame, see {@link FrameFormat}).
 * Big-endian; strings as a 2-byte length and UTF-8 (MQTT's limit), byte arrays as a 4-byte length; a nullable
 * value is preceded by a presence byte. Never change the meaning of existing bytes: files outlive versions.
 */
final class RecordCodec {

    /** The tag of a snapshot's last frame, which carries how many frames came before it. */
    static final int END_OF_SNAPSHOT = 255;

    private RecordCodec() {
    }

    static byte[] encode(StoreEvent e) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (e.message() == null ? 0
                    : e.message().payload.length + e.message().properties.length));
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(e.type().tag);
            writeString(out, e.key());
            switch (e.type()) {
                case SESSION_SAVED:
                    writeSession(out, e.session());
                    writeMessageOrNull(out, e.will());
                    break;
                case SUBSCRIPTION_ADDED:
                    writeSubscription(out, e.subscription());
                    break;
                case SUBSCRIPTION_REMOVED:
                    writeString(out, e.subscription().filter());
                    break;
                case OUTGOING_ADDED:
                    writeEntry(out, e.entry());
                    writeMessageOrNull(out, e.message());
                    break;
                case OUTGOING_UPDATED:
                    writeEntry(out, e.entry());
                    break;
                case OUTGOING_REMOVED:
                case INCOMING_QOS2_ADDED:
                case INCOMING_QOS2_REMOVED:
                    out.writeLong(e.number());
                    break;
                case RETAINED_SET:
                    writeMessage(out, e.message());
                    break;
                case SESSION_REMOVED:
                case RETAINED_CLEARED:
                    break;
                default:
                    throw new IllegalStateException("unhandled " + e.type());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static byte[] endOfSnapshot(long frames) {
        return new byte[] {(byte) END_OF_SNAPSHOT, (byte) (frames >>> 56), (byte) (frames >>> 48),
                (byte) (frames >>> 40), (byte) (frames >>> 32), (byte) (frames >>> 24), (byte) (frames >>> 16),
                (byte) (frames >>> 8), (byte) frames};
    }

    /**
     * @throws IOException if the bytes are not one record (a damaged file whose checksum happened to match is
     *     still not trusted)
     */
    static StoreEvent decode(byte[] body) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
        StoreEvent.Type type;
        try {
            type = StoreEvent.Type.of(in.readUnsignedByte());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        String key = readString(in);
        StoreEvent event;
        try {
            switch (type) {
                case SESSION_SAVED:
                    event = StoreEvent.sessionSaved(readSession(in, key), readMessageOrNull(in));
                    break;
                case SESSION_REMOVED:
                    event = StoreEvent.sessionRemoved(key);
                    break;
                case SUBSCRIPTION_ADDED:
                    event = StoreEvent.subscriptionAdded(key, readSubscription(in));
                    break;
                case SUBSCRIPTION_REMOVED:
                    event = StoreEvent.subscriptionRemoved(key, readString(in));
                    break;
                case OUTGOING_ADDED:
                    event = StoreEvent.outgoingAdded(key, readEntry(in), readMessageOrNull(in));
                    break;
                case OUTGOING_UPDATED:
                    event = StoreEvent.outgoingUpdated(key, readEntry(in));
                    break;
                case OUTGOING_REMOVED:
                    event = StoreEvent.outgoingRemoved(key, in.readLong());
                    break;
                case INCOMING_QOS2_ADDED:
                case INCOMING_QOS2_REMOVED:
                    event = StoreEvent.incomingQos2(type == StoreEvent.Type.INCOMING_QOS2_ADDED, key,
                            (int) in.readLong());
                    break;
                case RETAINED_SET:
                    event = StoreEvent.retainedSet(readMessage(in));
                    break;
                case RETAINED_CLEARED:
                    event = StoreEvent.retainedCleared(key);
                    break;
                default:
                    throw new IOException("unhandled record type " + type);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("invalid " + type + " record: " + e.getMessage());
        }
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes after a " + type + " record");
        }
        return event;
    }

    private static void writeSession(DataOutputStream out, PersistedSession s) throws IOException {
        writeNullableString(out, s.username());
        writeNullableString(out, s.listener());
        out.writeByte(s.protocolVersion().level());
        out.writeLong(s.expirySeconds());
        out.writeLong(s.disconnectedAtMillis());
        out.writeLong(s.willDelaySeconds());
    }

    private static PersistedSession readSession(DataInputStream in, String clientId) throws IOException {
        String username = readNullableString(in);
        String listener = readNullableString(in);
        int level = in.readUnsignedByte();
        ProtocolVersion version = null;
        for (ProtocolVersion v : ProtocolVersion.values()) {
            if (v.level() == level) {
                version = v;
            }
        }
        if (version == null) {
            throw new IOException("protocol level " + level);
        }
        return new PersistedSession(clientId, username, listener, version, in.readLong(), in.readLong(), null,
                in.readLong());
    }

    private static void writeSubscription(DataOutputStream out, PersistedSubscription s) throws IOException {
        writeString(out, s.filter());
        out.writeByte(s.qos());
        out.writeByte((s.noLocal() ? 1 : 0) | (s.retainAsPublished() ? 2 : 0));
        out.writeByte(s.retainHandling());
        out.writeInt(s.subscriptionId());
    }

    private static PersistedSubscription readSubscription(DataInputStream in) throws IOException {
        String filter = readString(in);
        int qos = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        return new PersistedSubscription(filter, qos, (flags & 1) != 0, (flags & 2) != 0, in.readUnsignedByte(),
                in.readInt());
    }

    private static void writeEntry(DataOutputStream out, PersistedOutgoing e) throws IOException {
        out.writeLong(e.entryId());
        out.writeLong(e.messageId());
        out.writeByte(e.qos());
        out.writeBoolean(e.retainFlag());
        out.writeShort(e.subscriptionIds().length);
        for (int id : e.subscriptionIds()) {
            out.writeInt(id);
        }
        out.writeByte(e.state().ordinal());
        out.writeShort(e.packetId());
    }

    private static PersistedOutgoing readEntry(DataInputStream in) throws IOException {
        long entryId = in.readLong();
        long messageId = in.readLong();
        int qos = in.readUnsignedByte();
        boolean retainFlag = in.readBoolean();
        int[] ids = new int[in.readUnsignedShort()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.readInt();
        }
        int state = in.readUnsignedByte();
        if (state >= PersistedOutgoing.State.values().length) {
            throw new IOException("entry state " + state);
        }
        return new PersistedOutgoing(entryId, messageId, qos, retainFlag, ids, PersistedOutgoing.State.values()[state],
                in.readUnsignedShort());
    }

    private static void writeMessageOrNull(DataOutputStream out, StoredMessage m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            writeMessage(out, m);
        }
    }

    private static StoredMessage readMessageOrNull(DataInputStream in) throws IOException {
        return in.readBoolean() ? readMessage(in) : null;
    }

    private static void writeMessage(DataOutputStream out, StoredMessage m) throws IOException {
        out.writeLong(m.id);
        writeString(out, m.topic);
        out.writeByte(m.qos);
        out.writeBoolean(m.retain);
        writeNullableString(out, m.publisherId);
        out.writeLong(m.expiresAtMillis);
        writeBytes(out, m.properties);
        writeBytes(out, m.payload);
    }

    private static StoredMessage readMessage(DataInputStream in) throws IOException {
        long id = in.readLong();
        String topic = readString(in);
        int qos = in.readUnsignedByte();
        if (qos > 2) {
            throw new IOException("QoS " + qos);
        }
        boolean retain = in.readBoolean();
        String publisherId = readNullableString(in);
        long expiresAt = in.readLong();
        byte[] properties = readBytes(in);
        byte[] payload = readBytes(in);
        return new StoredMessage(id, topic, payload, qos, retain, publisherId, properties, expiresAt);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("byte array of " + length + " bytes");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeNullableString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static String readNullableString(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
