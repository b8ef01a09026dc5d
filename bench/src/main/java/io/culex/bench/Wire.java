package io.culex.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The few MQTT packets the load generator sends, encoded by hand into one buffer per burst (no per-packet objects),
 * and the payload layout: send time, publisher number, sequence number, then padding.
 */
final class Wire {

    static final int HEADER_BYTES = 8 + 4 + 8;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int CONNACK = 2;
    static final int SUBACK = 9;

    private Wire() {
    }

    /** @param persistent a session that outlives the connection (3.1.1: clean session 0; 5: expiry 1 hour) */
    static void connect(ByteBuf out, String clientId, int protocol, int keepAlive, boolean persistent) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        int properties = protocol == 5 ? (persistent ? 1 + 5 : 1) : 0;
        int remaining = 2 + 4 + 1 + 1 + 2 + properties + 2 + id.length;
        out.writeByte(0x10);
        varint(out, remaining);
        out.writeShort(4).writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
        out.writeByte(protocol);
        out.writeByte(persistent && protocol != 5 ? 0x00 : 0x02); // clean session / clean start
        out.writeShort(keepAlive);
        if (protocol == 5) {
            if (persistent) {
                out.writeByte(5).writeByte(0x11).writeInt(3600); // Session Expiry Interval
            } else {
                out.writeByte(0); // no properties
            }
        }
        out.writeShort(id.length).writeBytes(id);
    }

    static void subscribe(ByteBuf out, int packetId, String filter, int qos, int protocol) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        out.writeByte(0x82);
        varint(out, 2 + (protocol == 5 ? 1 : 0) + 2 + f.length + 1);
        out.writeShort(packetId);
        if (protocol == 5) {
            out.writeByte(0);
        }
        out.writeShort(f.length).writeBytes(f).writeByte(qos);
    }

    /** @return the bytes one PUBLISH of this shape takes */
    static int publishSize(byte[] topic, int qos, int size, int protocol) {
        int remaining = publishRemaining(topic, qos, size, protocol);
        return 1 + varintSize(remaining) + remaining;
    }

    private static int publishRemaining(byte[] topic, int qos, int size, int protocol) {
        return 2 + topic.length + (qos > 0 ? 2 : 0) + (protocol == 5 ? 1 : 0) + size;
    }

    static void publish(ByteBuf out, byte[] topic, int qos, int packetId, int protocol, long sentNanos, int publisher,
                        long sequence, int size) {
        out.writeByte(0x30 | (qos << 1));
        varint(out, publishRemaining(topic, qos, size, protocol));
        out.writeShort(topic.length).writeBytes(topic);
        if (qos > 0) {
            out.writeShort(packetId);
        }
        if (protocol == 5) {
            out.writeByte(0);
        }
        out.writeLong(sentNanos).writeInt(publisher).writeLong(sequence);
        out.writeZero(size - HEADER_BYTES);
    }

    static void puback(ByteBuf out, int packetId) {
        out.writeByte(PUBACK << 4).writeByte(2).writeShort(packetId);
    }

    static void varint(ByteBuf out, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    static int varintSize(int value) {
        int n = 1;
        while (value >= 128) {
            value >>>= 7;
            n++;
        }
        return n;
    }
}
