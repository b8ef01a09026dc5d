package io.culex.cluster.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.culex.api.DeliveredMessage;
import io.culex.api.Nullable;
import io.culex.api.PublishBuilder;
import io.culex.api.PublishProperties;
import io.culex.api.RetainedMessage;

/**
 * A message as it travels between nodes: a byte array of Culex's own layout, so that Hazelcast moves plain bytes and
 * never loads a class of this bundle (its serialization and OSGi class loaders stay out of each other's way).
 *
 * <p>Layout (big-endian): version byte; sequence number (long, 0 outside forwarding); flags byte (bits 0-1 QoS, bit 2 retain, bit 3 payload is UTF-8); topic;
 * expiry in seconds (-1: none); content type, response topic, correlation data (each a presence byte then the
 * value); user property count and pairs; count and names of the share groups the receiver serves; count and ids of
 * the members that left whose former sessions are the only recipients or left out, and which of the two (a byte,
 * only when the count is not 0; see {@link #formerMembers}); count and ids of the other members the sender sent the
 * message to; count and ids of the clients it is relayed for; payload length and bytes. Strings are UTF-8 after an
 * int length.
 */
final class ClusterMessage {

    private static final int VERSION = 3;
    private static final int RETAIN = 0x04;
    private static final int UTF8 = 0x08;

    final String topic;
    final byte[] payload;
    final int qos;
    final boolean retain;
    final long expirySeconds;
    final boolean payloadUtf8;
    @Nullable final String contentType;
    @Nullable final String responseTopic;
    @Nullable final byte[] correlationData;
    final List<Map.Entry<String, String>> userProperties;
    /** The shared subscriptions whose groups the receiving node serves with this message (each group: one node). */
    final List<String> shareGroups;
    /** Its number among the messages from its node to the receiving node (1, 2, ...), for acknowledgements. */
    final long sequence;
    /**
     * Members that left, whose sessions the receiving node may hold now (adopted, or taken over by a reconnecting
     * client): with {@link #formerOnly}, the message was for such a member and goes to the sessions the receiving
     * node took from it only (and to the share groups named); without, it goes to everyone else there (the same
     * message reaches those sessions apart). Empty on every other message.
     */
    final List<String> formerMembers;
    final boolean formerOnly;
    /**
     * The members the sender sent this message to, when there were several (empty when there was one): a node
     * relaying it for a session that moved does not relay it to a member that has it already.
     */
    final List<String> sentTo;
    /**
     * A message relayed for sessions that moved (see {@link MovingSessions}): it goes to these client ids'
     * sessions only, or, when it names {@link #shareGroups}, to those groups only, once the session it names here
     * (a member of them) has arrived. Empty on every other message.
     */
    final List<String> forClients;

    private ClusterMessage(String topic, byte[] payload, int qos, boolean retain, long expirySeconds,
            boolean payloadUtf8, String contentType, String responseTopic, byte[] correlationData,
            List<Map.Entry<String, String>> userProperties, List<String> shareGroups, long sequence,
            List<String> formerMembers, boolean formerOnly, List<String> sentTo, List<String> forClients) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.expirySeconds = expirySeconds;
        this.payloadUtf8 = payloadUtf8;
        this.contentType = contentType;
        this.responseTopic = responseTopic;
        this.correlationData = correlationData;
        this.userProperties = userProperties;
        this.shareGroups = shareGroups;
        this.sequence = sequence;
        this.formerMembers = formerMembers;
        this.formerOnly = formerOnly;
        this.sentTo = sentTo;
        this.forClients = forClients;
    }

    /**
     * @return this message as sent to one node: with its sequence number there and the share groups that node is
     *     to serve with it
     */
    ClusterMessage to(long sequenceThere, List<String> groups) {
        return new ClusterMessage(topic, payload, qos, retain, expirySeconds, payloadUtf8, contentType,
                responseTopic, correlationData, userProperties, List.copyOf(groups), sequenceThere, formerMembers,
                formerOnly, sentTo, forClients);
    }

    /** @return this message marked as sent to all these members (when more than one) */
    ClusterMessage sentTo(java.util.Collection<String> members) {
        return new ClusterMessage(topic, payload, qos, retain, expirySeconds, payloadUtf8, contentType,
                responseTopic, correlationData, userProperties, shareGroups, sequence, formerMembers, formerOnly,
                members.size() > 1 ? List.copyOf(members) : List.of(), forClients);
    }

    /** @return this message relayed for the sessions of these clients only (see {@link #forClients}) */
    ClusterMessage relayedFor(List<String> clientIds) {
        return new ClusterMessage(topic, payload, qos, retain, expirySeconds, payloadUtf8, contentType,
                responseTopic, correlationData, userProperties, List.of(), sequence, List.of(), false, List.of(),
                List.copyOf(clientIds));
    }

    /** @return this message for the sessions a member that left held, only (see {@link #formerMembers}) */
    ClusterMessage onlyForSessionsOf(String member) {
        return new ClusterMessage(topic, payload, qos, retain, expirySeconds, payloadUtf8, contentType,
                responseTopic, correlationData, userProperties, shareGroups, sequence, List.of(member), true, sentTo,
                forClients);
    }

    /** @return this message for everyone but the sessions these members that left held (see {@link #formerMembers}) */
    ClusterMessage exceptSessionsOf(List<String> members) {
        return new ClusterMessage(topic, payload, qos, retain, expirySeconds, payloadUtf8, contentType,
                responseTopic, correlationData, userProperties, shareGroups, sequence, List.copyOf(members), false,
                sentTo, forClients);
    }

    static ClusterMessage of(DeliveredMessage m) {
        PublishProperties p = m.properties();
        return new ClusterMessage(m.topic(), m.payload(), m.qos(), m.retain(), m.messageExpiryInterval(),
                p.payloadFormatUtf8(), p.contentType(), p.responseTopic(), p.correlationData(), p.userProperties(),
                List.of(), 0, List.of(), false, List.of(), List.of());
    }

    static ClusterMessage of(RetainedMessage m) {
        PublishProperties p = m.properties();
        return new ClusterMessage(m.topic(), m.payload(), m.qos(), true, m.messageExpiryInterval(),
                p.payloadFormatUtf8(), p.contentType(), p.responseTopic(), p.correlationData(), p.userProperties(),
                List.of(), 0, List.of(), false, List.of(), List.of());
    }

    /** @return the message in a builder: payload, QoS, retain flag, expiry and properties set */
    PublishBuilder into(PublishBuilder builder) {
        builder.payload(payload).qos(qos).retain(retain).payloadFormatUtf8(payloadUtf8).contentType(contentType)
                .responseTopic(responseTopic).correlationData(correlationData);
        if (expirySeconds >= 0) {
            builder.messageExpiryInterval(expirySeconds);
        }
        for (Map.Entry<String, String> property : userProperties) {
            builder.userProperty(property.getKey(), property.getValue());
        }
        return builder;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(sequence);
            out.writeByte(qos | (retain ? RETAIN : 0) | (payloadUtf8 ? UTF8 : 0));
            writeString(out, topic);
            out.writeLong(expirySeconds);
            writeOptional(out, contentType);
            writeOptional(out, responseTopic);
            out.writeBoolean(correlationData != null);
            if (correlationData != null) {
                out.writeInt(correlationData.length);
                out.write(correlationData);
            }
            out.writeInt(userProperties.size());
            for (Map.Entry<String, String> property : userProperties) {
                writeString(out, property.getKey());
                writeString(out, property.getValue());
            }
            out.writeInt(shareGroups.size());
            for (String group : shareGroups) {
                writeString(out, group);
            }
            out.writeInt(formerMembers.size());
            for (String member : formerMembers) {
                writeString(out, member);
            }
            if (!formerMembers.isEmpty()) {
                out.writeBoolean(formerOnly);
            }
            writeStrings(out, sentTo);
            writeStrings(out, forClients);
            out.writeInt(payload.length);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not for a byte array
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a message of this version */
    static ClusterMessage decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("cluster message of version " + version + ", expected "
                        + VERSION + " (nodes of different Culex versions?)");
            }
            long sequence = in.readLong();
            int flags = in.readUnsignedByte();
            String topic = readString(in);
            long expiry = in.readLong();
            String contentType = readOptional(in);
            String responseTopic = readOptional(in);
            byte[] correlation = null;
            if (in.readBoolean()) {
                correlation = new byte[in.readInt()];
                in.readFully(correlation);
            }
            int count = in.readInt();
            List<Map.Entry<String, String>> properties = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                properties.add(Map.entry(readString(in), readString(in)));
            }
            int groupCount = in.readInt();
            List<String> groups = new ArrayList<>(groupCount);
            for (int i = 0; i < groupCount; i++) {
                groups.add(readString(in));
            }
            int formerCount = in.readInt();
            List<String> formerMembers = new ArrayList<>(formerCount);
            for (int i = 0; i < formerCount; i++) {
                formerMembers.add(readString(in));
            }
            boolean formerOnly = formerCount > 0 && in.readBoolean();
            List<String> sentTo = readStrings(in);
            List<String> forClients = readStrings(in);
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            return new ClusterMessage(topic, payload, flags & 0x03, (flags & RETAIN) != 0, expiry,
                    (flags & UTF8) != 0, contentType, responseTopic, correlation, List.copyOf(properties),
                    List.copyOf(groups), sequence, List.copyOf(formerMembers), formerOnly, sentTo, forClients);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("malformed cluster message: " + e, e);
        }
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 65_535) {
            throw new IllegalArgumentException("malformed cluster message: " + count + " strings");
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(in));
        }
        return List.copyOf(values);
    }

    private static void writeOptional(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? readString(in) : null;
    }
}
