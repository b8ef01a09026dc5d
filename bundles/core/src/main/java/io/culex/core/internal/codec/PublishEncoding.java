package io.culex.core.internal.codec;


import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes outgoing PUBLISH packets straight to bytes, so that the payload is never copied per subscriber: a QoS 1/2
 * delivery is a small header buffer followed by a shared duplicate of the payload.
 *
 * <p>MQTT 5 headers add the properties: the message's forwarded ones (already in wire form), the remaining message
 * expiry interval and the subscriber's subscription identifiers.
 */
public final class PublishEncoding {

    public static final int PUBACK = 0x40;
    public static final int PUBREC = 0x50;
    public static final int PUBREL = 0x62;
    public static final int PUBCOMP = 0x70;

    private static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
    private static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
    private static final int REASON_STRING = 0x1F;

    private PublishEncoding() {
    }

    /** @return the MQTT 3.1/3.1.1 fixed and variable header of a PUBLISH whose payload follows separately */
    public static ByteBuf header(ByteBufAllocator alloc, PublishContent message, int qos, boolean retain, boolean dup,
                                 int packetId) {
        return header(alloc, message, message.topicUtf8(), qos, retain, dup, packetId);
    }

    /** @param topic the topic as this client sees it (without a listener's mount point) */
    public static ByteBuf header(ByteBufAllocator alloc, PublishContent message, byte[] topic, int qos, boolean retain,
                                 boolean dup, int packetId) {
        int variable = variableHeaderLength(topic, qos);
        int remaining = variable + message.payloadSize();
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + variable);
        writeHeader(buf, topic, qos, retain, dup, packetId, remaining);
        return buf;
    }

    /** @return the whole MQTT 3.1/3.1.1 PUBLISH packet, header and payload, in one buffer */
    public static ByteBuf completePacket(ByteBufAllocator alloc, PublishContent message, int qos, boolean retain,
                                         boolean dup, int packetId) {
        return completePacket(alloc, message, message.topicUtf8(), qos, retain, dup, packetId);
    }

    /** @param topic the topic as this client sees it (without a listener's mount point) */
    public static ByteBuf completePacket(ByteBufAllocator alloc, PublishContent message, byte[] topic, int qos,
                                         boolean retain, boolean dup, int packetId) {
        ByteBuf buf = header(alloc, message, topic, qos, retain, dup, packetId);
        return appendPayload(buf, message);
    }

    /**
     * @param subscriptionIds the subscriber's matching subscription identifiers, or {@code null}
     * @param nowNanos the time the remaining expiry is computed for
     * @return the MQTT 5 fixed and variable header (with properties) of a PUBLISH whose payload follows separately
     */
    public static ByteBuf headerV5(ByteBufAllocator alloc, PublishContent message, int qos, boolean retain, boolean dup,
                                   int packetId, int[] subscriptionIds, long nowNanos) {
        return headerV5(alloc, message, message.topicUtf8(), qos, retain, dup, packetId, subscriptionIds, nowNanos);
    }

    /** @param topic the topic as this client sees it (without a listener's mount point) */
    public static ByteBuf headerV5(ByteBufAllocator alloc, PublishContent message, byte[] topic, int qos, boolean retain,
                                   boolean dup, int packetId, int[] subscriptionIds, long nowNanos) {
        int propertiesLength = propertiesLength(message, subscriptionIds);
        int variable = variableHeaderLength(topic, qos) + varIntSize(propertiesLength) + propertiesLength;
        int remaining = variable + message.payloadSize();
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + variable);
        writeHeader(buf, topic, qos, retain, dup, packetId, remaining);
        writeVarInt(buf, propertiesLength);
        buf.writeBytes(message.propertiesWire());
        if (message.hasExpiry()) {
            buf.writeByte(MESSAGE_EXPIRY_INTERVAL);
            buf.writeInt((int) Math.min(0xFFFFFFFFL, message.remainingExpirySeconds(nowNanos)));
        }
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) {
                buf.writeByte(SUBSCRIPTION_IDENTIFIER);
                writeVarInt(buf, id);
            }
        }
        return buf;
    }

    /** @return the whole MQTT 5 PUBLISH packet in one buffer */
    public static ByteBuf completePacketV5(ByteBufAllocator alloc, PublishContent message, int qos, boolean retain,
                                           boolean dup, int packetId, int[] subscriptionIds, long nowNanos) {
        return completePacketV5(alloc, message, message.topicUtf8(), qos, retain, dup, packetId, subscriptionIds,
                nowNanos);
    }

    /** @param topic the topic as this client sees it (without a listener's mount point) */
    public static ByteBuf completePacketV5(ByteBufAllocator alloc, PublishContent message, byte[] topic, int qos,
                                           boolean retain, boolean dup, int packetId, int[] subscriptionIds,
                                           long nowNanos) {
        ByteBuf buf = headerV5(alloc, message, topic, qos, retain, dup, packetId, subscriptionIds, nowNanos);
        return appendPayload(buf, message);
    }

    /** @return the size on the wire of the PUBLISH packet (MQTT 5 when {@code v5}) */
    public static long packetSize(PublishContent message, int qos, boolean v5, int[] subscriptionIds) {
        int variable = variableHeaderLength(message.topicUtf8(), qos);
        if (v5) {
            int propertiesLength = propertiesLength(message, subscriptionIds);
            variable += varIntSize(propertiesLength) + propertiesLength;
        }
        long remaining = (long) variable + message.payloadSize();
        return 1 + varIntSize((int) Math.min(remaining, Integer.MAX_VALUE)) + remaining;
    }

    /** @return a 4-byte acknowledgement packet (PUBACK, PUBREC, PUBREL or PUBCOMP) with success */
    public static ByteBuf ack(ByteBufAllocator alloc, int firstByte, int packetId) {
        ByteBuf buf = alloc.buffer(4, 4);
        buf.writeByte(firstByte);
        buf.writeByte(2);
        buf.writeShort(packetId);
        return buf;
    }

    /**
     * @return an MQTT 5 acknowledgement with a reason code and no properties (the 4-byte form when it is success)
     */
    public static ByteBuf ack(ByteBufAllocator alloc, int firstByte, int packetId, int reasonCode) {
        if (reasonCode == 0) {
            return ack(alloc, firstByte, packetId);
        }
        ByteBuf buf = alloc.buffer(5, 5);
        buf.writeByte(firstByte);
        buf.writeByte(3);
        buf.writeShort(packetId);
        buf.writeByte(reasonCode);
        return buf;
    }

    /**
     * @return an MQTT 5 acknowledgement with a reason code and a Reason String property
     */
    public static ByteBuf ack(ByteBufAllocator alloc, int firstByte, int packetId, int reasonCode,
                              String reasonString) {
        if (reasonString == null) {
            return ack(alloc, firstByte, packetId, reasonCode);
        }
        byte[] text = reasonString.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int propertiesLength = 1 + 2 + text.length;
        int remaining = 2 + 1 + varIntSize(propertiesLength) + propertiesLength;
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + remaining);
        buf.writeByte(firstByte);
        writeVarInt(buf, remaining);
        buf.writeShort(packetId);
        buf.writeByte(reasonCode);
        writeVarInt(buf, propertiesLength);
        buf.writeByte(REASON_STRING);
        buf.writeShort(text.length);
        buf.writeBytes(text);
        return buf;
    }

    private static ByteBuf appendPayload(ByteBuf header, PublishContent message) {
        ByteBuf payload = message.payload();
        int size = message.payloadSize();
        header.ensureWritable(size);
        header.writeBytes(payload, payload.readerIndex(), size);
        return header;
    }

    private static int propertiesLength(PublishContent message, int[] subscriptionIds) {
        int length = message.propertiesWire().length;
        if (message.hasExpiry()) {
            length += 5;
        }
        if (subscriptionIds != null) {
            for (int id : subscriptionIds) {
                length += 1 + varIntSize(id);
            }
        }
        return length;
    }

    private static void writeHeader(ByteBuf buf, byte[] topic, int qos, boolean retain, boolean dup, int packetId,
                                    int remaining) {
        buf.writeByte(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0));
        writeVarInt(buf, remaining);
        buf.writeShort(topic.length);
        buf.writeBytes(topic);
        if (qos > 0) {
            buf.writeShort(packetId);
        }
    }

    private static int variableHeaderLength(byte[] topic, int qos) {
        return 2 + topic.length + (qos > 0 ? 2 : 0);
    }

    static int varIntSize(int value) {
        if (value < 128) {
            return 1;
        } else if (value < 16384) {
            return 2;
        } else if (value < 2097152) {
            return 3;
        }
        return 4;
    }

    static void writeVarInt(ByteBuf buf, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            if (value > 0) {
                digit |= 0x80;
            }
            buf.writeByte(digit);
        } while (value > 0);
    }
}
