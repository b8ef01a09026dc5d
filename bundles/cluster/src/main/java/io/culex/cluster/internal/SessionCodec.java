package io.culex.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;

/**
 * The bytes of a session's state in the cluster's maps: the persistence SPI's records in Culex's own layout (version
 * byte first), so that Hazelcast stores plain byte arrays and never needs a class of this bundle.
 */
final class SessionCodec {

    private static final int VERSION = 1;

    private SessionCodec() {
    }

    /** A session with its subscriptions and incoming QoS 2 packet ids: the value of the sessions map. */
    record SessionState(PersistedSession session, List<PersistedSubscription> subscriptions, List<Integer> qos2) {
    }

    /** One outgoing entry with its message: the value of the queued map. */
    record QueuedEntry(PersistedOutgoing entry, PersistedMessage message) {
    }

    static byte[] encode(SessionState state) {
        return write(out -> {
            PersistedSession s = state.session();
            writeString(out, s.clientId());
            writeNullable(out, s.username());
            writeNullable(out, s.listener());
            out.writeByte(s.protocolVersion().ordinal());
            out.writeLong(s.expirySeconds());
            out.writeLong(s.disconnectedAtMillis());
            out.writeBoolean(s.will() != null);
            if (s.will() != null) {
                writeMessage(out, s.will());
            }
            out.writeLong(s.willDelaySeconds());
            out.writeInt(state.subscriptions().size());
            for (PersistedSubscription sub : state.subscriptions()) {
                writeString(out, sub.filter());
                out.writeByte(sub.qos());
                out.writeBoolean(sub.noLocal());
                out.writeBoolean(sub.retainAsPublished());
                out.writeByte(sub.retainHandling());
                out.writeInt(sub.subscriptionId());
            }
            out.writeInt(state.qos2().size());
            for (int id : state.qos2()) {
                out.writeShort(id);
            }
        });
    }

    static SessionState decodeSession(byte[] bytes) {
        return read(bytes, in -> {
            String clientId = readString(in);
            String username = readNullable(in);
            String listener = readNullable(in);
            ProtocolVersion version = ProtocolVersion.values()[in.readUnsignedByte()];
            long expiry = in.readLong();
            long disconnectedAt = in.readLong();
            PersistedMessage will = in.readBoolean() ? readMessage(in) : null;
            long willDelay = in.readLong();
            int count = in.readInt();
            List<PersistedSubscription> subscriptions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                subscriptions.add(new PersistedSubscription(readString(in), in.readUnsignedByte(), in.readBoolean(),
                        in.readBoolean(), in.readUnsignedByte(), in.readInt()));
            }
            int ids = in.readInt();
            List<Integer> qos2 = new ArrayList<>(ids);
            for (int i = 0; i < ids; i++) {
                qos2.add(in.readUnsignedShort());
            }
            return new SessionState(new PersistedSession(clientId, username, listener, version, expiry,
                    disconnectedAt, will, willDelay), subscriptions, qos2);
        });
    }

    static byte[] encode(QueuedEntry queued) {
        return write(out -> {
            PersistedOutgoing e = queued.entry();
            out.writeLong(e.entryId());
            out.writeLong(e.messageId());
            out.writeByte(e.qos());
            out.writeBoolean(e.retainFlag());
            out.writeInt(e.subscriptionIds().length);
            for (int id : e.subscriptionIds()) {
                out.writeInt(id);
            }
            out.writeByte(e.state().ordinal());
            out.writeInt(e.packetId());
            out.writeBoolean(queued.message() != null);
            if (queued.message() != null) {
                writeMessage(out, queued.message());
            }
        });
    }

    static QueuedEntry decodeQueued(byte[] bytes) {
        return read(bytes, in -> {
            long entryId = in.readLong();
            long messageId = in.readLong();
            int qos = in.readUnsignedByte();
            boolean retain = in.readBoolean();
            int[] ids = new int[in.readInt()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.readInt();
            }
            PersistedOutgoing.State state = PersistedOutgoing.State.values()[in.readUnsignedByte()];
            int packetId = in.readInt();
            PersistedMessage message = in.readBoolean() ? readMessage(in) : null;
            return new QueuedEntry(new PersistedOutgoing(entryId, messageId, qos, retain, ids, state, packetId),
                    message);
        });
    }

    /** A message given during a listener call (its buffers are valid only then), as a copy that stays valid. */
    static PersistedMessage copy(PersistedMessage m) {
        return PersistedMessage.of(m.id(), m.topic(), bytes(m.payload()), m.qos(), m.retain(), m.publisherId(),
                bytes(m.properties()), m.expiresAtMillis());
    }

    private static void writeMessage(DataOutputStream out, PersistedMessage m) throws IOException {
        out.writeLong(m.id());
        writeString(out, m.topic());
        writeBytes(out, bytes(m.payload()));
        out.writeByte(m.qos());
        out.writeBoolean(m.retain());
        writeNullable(out, m.publisherId());
        writeBytes(out, bytes(m.properties()));
        out.writeLong(m.expiresAtMillis());
    }

    private static PersistedMessage readMessage(DataInputStream in) throws IOException {
        long id = in.readLong();
        String topic = readString(in);
        byte[] payload = readBytes(in);
        int qos = in.readUnsignedByte();
        boolean retain = in.readBoolean();
        String publisher = readNullable(in);
        byte[] properties = readBytes(in);
        return PersistedMessage.of(id, topic, payload, qos, retain, publisher, properties, in.readLong());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not for a byte array
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a record of this version */
    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("session record of version " + version + ", expected " + VERSION);
            }
            return reader.read(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("malformed session record: " + e, e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }
}
