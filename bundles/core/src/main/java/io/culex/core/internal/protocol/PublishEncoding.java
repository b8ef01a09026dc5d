package io.culex.core.internal.protocol;

import io.culex.core.internal.routing.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes outgoing PUBLISH packets straight to bytes, so that the payload is never copied per subscriber: a QoS 1/2
 * delivery is a small header buffer followed by a shared duplicate of the payload.
 */
public final class PublishEncoding {

    private PublishEncoding() {
    }

    /**
     * @return the fixed and variable header of a PUBLISH packet whose payload follows separately
     */
    public static ByteBuf header(ByteBufAllocator alloc, Message message, int qos, boolean retain, boolean dup,
                                 int packetId) {
        byte[] topic = message.topicUtf8();
        int remaining = variableHeaderLength(topic, qos) + message.payloadSize();
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + variableHeaderLength(topic, qos));
        writeHeader(buf, topic, qos, retain, dup, packetId, remaining);
        return buf;
    }

    /**
     * @return the whole PUBLISH packet, header and payload, in one buffer
     */
    public static ByteBuf completePacket(ByteBufAllocator alloc, Message message, int qos, boolean retain,
                                         boolean dup, int packetId) {
        byte[] topic = message.topicUtf8();
        int payloadSize = message.payloadSize();
        int remaining = variableHeaderLength(topic, qos) + payloadSize;
        ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + remaining);
        writeHeader(buf, topic, qos, retain, dup, packetId, remaining);
        ByteBuf payload = message.payload();
        buf.writeBytes(payload, payload.readerIndex(), payloadSize);
        return buf;
    }

    /** @return the size of the whole packet on the wire */
    public static int packetSize(Message message, int qos) {
        int remaining = variableHeaderLength(message.topicUtf8(), qos) + message.payloadSize();
        return 1 + varIntSize(remaining) + remaining;
    }

    /** @return a 4-byte acknowledgement packet (PUBACK, PUBREC, PUBREL or PUBCOMP) */
    public static ByteBuf ack(ByteBufAllocator alloc, int firstByte, int packetId) {
        ByteBuf buf = alloc.buffer(4, 4);
        buf.writeByte(firstByte);
        buf.writeByte(2);
        buf.writeShort(packetId);
        return buf;
    }

    public static final int PUBACK = 0x40;
    public static final int PUBREC = 0x50;
    public static final int PUBREL = 0x62;
    public static final int PUBCOMP = 0x70;

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

    private static int varIntSize(int value) {
        if (value < 128) {
            return 1;
        } else if (value < 16384) {
            return 2;
        } else if (value < 2097152) {
            return 3;
        }
        return 4;
    }

    private static void writeVarInt(ByteBuf buf, int value) {
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
