package io.culex.persistence.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Files are a header followed by frames: a 4-byte body length, the CRC-32C of the body, the body. A frame that is
 * cut off, longer than the file, or whose checksum does not match ends what can be trusted: a torn write is
 * detected, never applied.
 */
final class FrameFormat {

    static final int FRAME_HEADER = 8;
    /** A body larger than this is taken for damage (a payload is at most MQTT's 256 MiB, plus its record). */
    static final int MAX_BODY = 268_435_455 + 1024 * 1024;
    /** Magic, format version and generation. */
    static final int FILE_HEADER = 8 + 4 + 8;
    static final int VERSION = 1;

    private FrameFormat() {
    }

    static ByteBuffer frame(byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER + body.length);
        frame.putInt(body.length);
        frame.putInt(crc(body));
        frame.put(body);
        frame.flip();
        return frame;
    }

    static int crc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue();
    }

    static ByteBuffer header(byte[] magic, long generation) {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
        header.put(magic).putInt(VERSION).putLong(generation).flip();
        return header;
    }

    /**
     * @return the generation in the file's header
     * @throws IOException if the header is not there or not this format
     */
    static long readHeader(FileChannel channel, byte[] magic, String file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
        while (header.hasRemaining() && channel.read(header) >= 0) {
            // read on
        }
        header.flip();
        if (header.remaining() < FILE_HEADER) {
            throw new IOException(file + " has no complete header (" + header.remaining() + " bytes)");
        }
        byte[] found = new byte[magic.length];
        header.get(found);
        if (!java.util.Arrays.equals(found, magic)) {
            throw new IOException(file + " is not a Culex store file");
        }
        int version = header.getInt();
        if (version != VERSION) {
            throw new IOException(file + " has format version " + version + "; this Culex reads " + VERSION);
        }
        return header.getLong();
    }

    /**
     * Read the next frame's body at the channel's position.
     *
     * @return the body, or {@code null} at the end of what can be trusted (end of file, a cut or damaged frame);
     *     the channel's position is then where the trusted part ends
     */
    static byte[] readFrame(FileChannel channel) throws IOException {
        long start = channel.position();
        ByteBuffer head = ByteBuffer.allocate(FRAME_HEADER);
        if (!readFully(channel, head)) {
            channel.position(start);
            return null;
        }
        head.flip();
        int length = head.getInt();
        int crc = head.getInt();
        if (length < 1 || length > MAX_BODY || length > channel.size() - channel.position()) {
            channel.position(start);
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        if (!readFully(channel, body) || crc(body.array()) != crc) {
            channel.position(start);
            return null;
        }
        return body.array();
    }

    private static boolean readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }
}
