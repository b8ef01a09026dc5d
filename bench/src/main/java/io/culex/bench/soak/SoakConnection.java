package io.culex.bench.soak;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One MQTT 3.1.1 connection of the soak driver, on a blocking socket: CONNECT/CONNACK synchronously, then a reader
 * thread that hands every packet to a {@link Handler}. Writes are serialised on this object; acknowledgements a
 * handler writes are flushed once the reader has nothing more buffered, so a burst costs one system call.
 */
final class SoakConnection {

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    /** What a reader thread calls; runs on that thread. */
    interface Handler {
        void packet(SoakConnection connection, int type, int flags, byte[] body) throws IOException;

        /** The connection ended (closed by either side); {@code cause} is null for a close we asked for. */
        void closed(SoakConnection connection, IOException cause);
    }

    /** A will: topic, payload, QoS, retain. */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
    }

    final String clientId;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private volatile boolean closing;
    private volatile long lastWriteNanos = System.nanoTime();
    /** Bytes were written since the last flush (guarded by this). */
    private boolean dirty;

    private SoakConnection(String clientId, Socket socket) throws IOException {
        this.clientId = clientId;
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /**
     * Opens the socket and exchanges CONNECT/CONNACK.
     *
     * @return the connection; {@link #sessionPresent} tells whether the broker kept the session
     * @throws IOException if the socket fails or the broker refuses (the message names the CONNACK code)
     */
    static SoakConnection connect(String host, int port, String clientId, boolean clean, int keepAlive, Will will)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(15_000);
            SoakConnection c = new SoakConnection(clientId, socket);
            c.writeConnect(clean, keepAlive, will);
            int first = c.in.readUnsignedByte();
            int length = c.readLength();
            byte[] body = new byte[length];
            c.in.readFully(body);
            if (first >>> 4 != CONNACK || length != 2) {
                throw new IOException(clientId + ": expected CONNACK, got packet type " + (first >>> 4));
            }
            if (body[1] != 0) {
                throw new IOException(clientId + ": CONNACK " + body[1]);
            }
            c.sessionPresent = (body[0] & 1) == 1;
            socket.setSoTimeout(0);
            return c;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Set by {@link #connect}: the CONNACK's session-present flag. */
    boolean sessionPresent;

    /** Starts the reader thread. */
    void start(Handler handler, String threadName) {
        Thread t = new Thread(() -> readLoop(handler), threadName);
        t.setDaemon(true);
        t.start();
    }

    private void readLoop(Handler handler) {
        IOException cause = null;
        try {
            while (true) {
                int first = in.readUnsignedByte();
                int length = readLength();
                byte[] body = new byte[length];
                in.readFully(body);
                handler.packet(this, first >>> 4, first & 0x0F, body);
                if (in.available() == 0) {
                    flush();
                }
            }
        } catch (EOFException e) {
            cause = closing ? null : e;
        } catch (IOException e) {
            cause = closing ? null : e;
        } catch (RuntimeException e) {
            cause = new IOException(clientId + ": handler failed", e);
        } finally {
            abort();
            handler.closed(this, cause);
        }
    }

    private int readLength() throws IOException {
        int value = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            value += (digit & 0x7F) * multiplier;
            multiplier <<= 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    private void writeConnect(boolean clean, int keepAlive, Will will) throws IOException {
        byte[] id = utf8(clientId);
        int flags = clean ? 0x02 : 0x00;
        int remaining = 10 + 2 + id.length;
        byte[] willTopic = null;
        if (will != null) {
            willTopic = utf8(will.topic());
            flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
            remaining += 2 + willTopic.length + 2 + will.payload().length;
        }
        synchronized (this) {
            out.write(0x10);
            writeLength(remaining);
            writeShort(4);
            out.write("MQTT".getBytes(StandardCharsets.US_ASCII));
            out.write(4);
            out.write(flags);
            writeShort(keepAlive);
            writeShort(id.length);
            out.write(id);
            if (will != null) {
                writeShort(willTopic.length);
                out.write(willTopic);
                writeShort(will.payload().length);
                out.write(will.payload());
            }
            out.flush();
        }
    }

    synchronized void publish(byte[] topic, byte[] payload, int qos, int packetId, boolean dup, boolean retain)
            throws IOException {
        dirty = true;
        out.write(0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0));
        writeLength(2 + topic.length + (qos > 0 ? 2 : 0) + payload.length);
        writeShort(topic.length);
        out.write(topic);
        if (qos > 0) {
            writeShort(packetId);
        }
        out.write(payload);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; not flushed (the reader flushes after a burst, publishers per tick). */
    synchronized void ack(int type, int packetId) throws IOException {
        dirty = true;
        out.write(type << 4 | (type == PUBREL ? 0x02 : 0));
        out.write(2);
        writeShort(packetId);
    }

    synchronized void subscribe(int packetId, String filter, int qos) throws IOException {
        byte[] f = utf8(filter);
        out.write(0x82);
        writeLength(2 + 2 + f.length + 1);
        writeShort(packetId);
        writeShort(f.length);
        out.write(f);
        out.write(qos);
        out.flush();
        lastWriteNanos = System.nanoTime();
    }

    /** Flush what was written; only then does the keep-alive clock restart (the broker got bytes). */
    synchronized void flush() throws IOException {
        if (dirty) {
            dirty = false;
            out.flush();
            lastWriteNanos = System.nanoTime();
        }
    }

    /** PINGREQ if nothing was written for the given time (the keep-alive counts what the broker receives). */
    void pingIfIdle(long idleNanos) {
        if (System.nanoTime() - lastWriteNanos < idleNanos || closing) {
            return;
        }
        try {
            synchronized (this) {
                out.write(0xC0);
                out.write(0);
                dirty = true;
                flush();
            }
        } catch (IOException e) {
            abort();
        }
    }

    /** DISCONNECT, then close: the will is not published. */
    void disconnect() {
        closing = true;
        try {
            synchronized (this) {
                out.write(0xE0);
                out.write(0);
                out.flush();
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // closing anyway
        }
        abort();
    }

    /** Close the socket without DISCONNECT, as a client that crashes: the will is published. */
    void abort() {
        closing = true;
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    private void writeShort(int v) throws IOException {
        out.write(v >>> 8);
        out.write(v & 0xFF);
    }

    private void writeLength(int value) throws IOException {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** @return the packet id at the given offset of a body */
    static int packetId(byte[] body, int offset) {
        return (body[offset] & 0xFF) << 8 | (body[offset + 1] & 0xFF);
    }
}
