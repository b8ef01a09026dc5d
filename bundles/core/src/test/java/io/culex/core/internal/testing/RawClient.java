package io.culex.core.internal.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * MQTT over a plain socket, packet by packet and byte by byte: for tests that must send what no well-behaved
 * client sends (malformed packets, protocol violations) or withhold what one always sends (acknowledgements).
 */
public final class RawClient implements AutoCloseable {

    /** One packet read from the broker. */
    public static final class Packet {
        public final int type;
        public final int flags;
        public final byte[] body;

        Packet(int firstByte, byte[] body) {
            this.type = firstByte >> 4;
            this.flags = firstByte & 0x0F;
            this.body = body;
        }

        public int u16(int offset) {
            return ((body[offset] & 0xFF) << 8) | (body[offset + 1] & 0xFF);
        }

        /** @return for a PUBLISH: the topic */
        public String topic() {
            return new String(body, 2, u16(0), StandardCharsets.UTF_8);
        }

        /** @return for a PUBLISH with QoS > 0: the packet id */
        public int publishPacketId() {
            return u16(2 + u16(0));
        }

        public int qos() {
            return (flags >> 1) & 3;
        }

        public boolean dup() {
            return (flags & 0x08) != 0;
        }

        public boolean retain() {
            return (flags & 0x01) != 0;
        }

        /** @return for a PUBLISH: the payload as text */
        public String payloadText() {
            int start = 2 + u16(0) + (qos() > 0 ? 2 : 0);
            return new String(body, start, body.length - start, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "packet type " + type + " flags " + flags + " (" + body.length + " bytes)";
        }
    }

    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBACK = 9;
    public static final int UNSUBACK = 11;
    public static final int PINGRESP = 13;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
        socket.setTcpNoDelay(true);
    }

    /** Over a socket already connected (a TLS socket, for instance). */
    public RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(int... bytes) throws IOException {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        send(b);
    }

    /** Send an MQTT 3.1.1 CONNECT and return the CONNACK return code. */
    public int connect(String clientId, boolean cleanSession, int keepAlive) throws IOException {
        send(connectPacket("MQTT", 4, clientId, cleanSession, keepAlive, null, null, 0, false, null, null));
        Packet connack = read();
        if (connack.type != CONNACK) {
            throw new AssertionError("expected CONNACK, got " + connack);
        }
        return connack.body[1] & 0xFF;
    }

    /** @return the CONNACK packet for a CONNECT with the given fields (null omits username/password/will) */
    public static byte[] connectPacket(String protocolName, int level, String clientId, boolean cleanSession,
                                       int keepAlive, String willTopic, String willMessage, int willQos,
                                       boolean willRetain, String username, String password) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, protocolName);
        body.write(level);
        int flags = (cleanSession ? 0x02 : 0) | (willTopic != null ? 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0) : 0)
                | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0);
        body.write(flags);
        body.write(keepAlive >> 8);
        body.write(keepAlive & 0xFF);
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeString(body, willMessage);
        }
        if (username != null) {
            writeString(body, username);
        }
        if (password != null) {
            writeString(body, password);
        }
        return packet(0x10, body.toByteArray());
    }

    public void subscribe(int packetId, String filter, int qos) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        writeString(body, filter);
        body.write(qos);
        send(packet(0x82, body.toByteArray()));
        Packet suback = read();
        if (suback.type != SUBACK) {
            throw new AssertionError("expected SUBACK, got " + suback);
        }
    }

    public void publish(String topic, String payload, int qos, boolean retain, int packetId) throws IOException {
        send(publishPacket(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain, false, packetId));
    }

    public static byte[] publishPacket(String topic, byte[] payload, int qos, boolean retain, boolean dup,
                                       int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(packetId >> 8);
            body.write(packetId & 0xFF);
        }
        body.write(payload, 0, payload.length);
        return packet(0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0), body.toByteArray());
    }

    public void ack(int type, int packetId) throws IOException {
        send((type << 4) | (type == PUBREL ? 2 : 0), 2, packetId >> 8, packetId & 0xFF);
    }

    public static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(firstByte);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            p.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        p.write(body, 0, body.length);
        return p.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.write(b, 0, b.length);
    }

    /** Read one packet; fails if the connection closes or nothing comes within 10 s. */
    public Packet read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed by the broker");
        }
        int len = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            len += (digit & 127) * multiplier;
            multiplier *= 128;
        } while ((digit & 128) != 0);
        byte[] body = new byte[len];
        in.readFully(body);
        return new Packet(first, body);
    }

    /** @return a packet if one arrives within the time, {@code null} otherwise */
    public Packet poll(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return read();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    /**
     * @return {@code true} if the broker closes the connection within 10 s (after any packets it still sends,
     *     which are skipped)
     */
    public boolean awaitClosed() throws IOException {
        InputStream stream = socket.getInputStream();
        try {
            while (stream.read() >= 0) {
                // skip what the broker still sends before closing
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /**
     * Send FIN after what was written, keeping the socket open for reading: unlike {@link #close()} with unread
     * input (which makes the kernel send RST and discard what the broker has not read yet), nothing sent is lost.
     */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
