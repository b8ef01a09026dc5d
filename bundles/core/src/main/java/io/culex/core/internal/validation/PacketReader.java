package io.culex.core.internal.validation;

import io.netty.buffer.ByteBuf;

/**
 * Reads the fields of one framed packet without copying, and reports a field that runs past its region as a
 * Malformed Packet. Regions nest: a property block or a subscription list is read through its own reader, so
 * that a length that claims more than its enclosing region is caught where it is read.
 */
final class PacketReader {

    private final ByteBuf bytes;
    private final int end;
    private final int level;
    private int position;
    private int lastLength;

    PacketReader(ByteBuf bytes, int from, int end, int level) {
        this.bytes = bytes;
        this.position = from;
        this.end = end;
        this.level = level;
    }

    int level() {
        return level;
    }

    int remaining() {
        return end - position;
    }

    boolean hasMore() {
        return position < end;
    }

    int position() {
        return position;
    }

    ByteBuf bytes() {
        return bytes;
    }

    int u8(String field) {
        need(1, field);
        return bytes.getUnsignedByte(position++);
    }

    int u16(String field) {
        need(2, field);
        int value = bytes.getUnsignedShort(position);
        position += 2;
        return value;
    }

    long u32(String field) {
        need(4, field);
        long value = bytes.getUnsignedInt(position);
        position += 4;
        return value;
    }

    /** A Variable Byte Integer: at most four bytes, and not longer than needed [MQTT-1.5.5-1]. */
    int variableInteger(String field) {
        int value = 0;
        for (int digit = 0; digit < 4; digit++) {
            int b = u8(field);
            value |= (b & 0x7F) << (7 * digit);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw PacketViolation.malformed(level, field + ": variable byte integer longer than four bytes");
    }

    /**
     * A UTF-8 Encoded String: its bytes must be well-formed UTF-8 without U+0000 [MQTT-1.5.4-1, -2].
     *
     * @return the index of the string's first byte; {@link #lastLength()} is its length
     */
    int string(String field) {
        int length = u16(field);
        need(length, field);
        int start = position;
        if (!Utf8Strings.isWellFormed(bytes, start, length)) {
            throw PacketViolation.malformed(level, field + " is not well-formed UTF-8");
        }
        position += length;
        lastLength = length;
        return start;
    }

    /** Binary Data: a two-byte length and that many bytes. */
    void binary(String field) {
        int length = u16(field);
        need(length, field);
        position += length;
        lastLength = length;
    }

    /** @return the length of the last string or binary field read */
    int lastLength() {
        return lastLength;
    }

    /** @return a reader for the next {@code length} bytes, which this reader skips */
    PacketReader region(int length, String field) {
        need(length, field);
        PacketReader region = new PacketReader(bytes, position, position + length, level);
        position += length;
        return region;
    }

    void expectEnd(String packet) {
        if (position != end) {
            throw PacketViolation.malformed(level, packet + " has " + (end - position) + " bytes more than its fields");
        }
    }

    private void need(int count, String field) {
        if (count > end - position) {
            throw PacketViolation.malformed(level, field + " runs past the end of the packet");
        }
    }
}
