package io.culex.itest.blackbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 3.1.1 client on a plain blocking socket, for tests that need control a library does not give: a socket
 * receive buffer of a chosen size, a client that does not read at all, publishing as fast as the socket takes it.
 * Writes are buffered and go out on {@link #flush()} (or when the buffer is full); not thread-safe for writing
 * except where synchronised by the caller.
 */
final class RawMqttClient implements AutoCloseable {

    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;

    /** One packet: type, the flags of the fixed header, the body after the remaining length. */
    record Packet(int type, int flags, byte[] body) {
        int qos() {
            return (flags >>> 1) & 3;
        }

        String topic() {
            return new String(body, 2, topicLength(), StandardCharsets.UTF_8);
        }

        int packetId() {
            int at = type == PUBLISH ? 2 + topicLength() : 0;
            return (body[at] & 0xFF) << 8 | (body[at + 1] & 0xFF);
        }

        /** @return the payload's offset in {@link #body()} */
        int payloadOffset() {
            return 2 + topicLength() + (qos() > 0 ? 2 : 0);
        }

        private int topicLength() {
            return (body[0] & 0xFF) << 8 | (body[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawMqttClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /**
     * Connects with a clean session and no keep-alive (a client that reads nothing must not be dropped for it).
     *
     * @param receiveBuffer the socket's receive buffer in bytes (fixed, so the kernel does not grow it), or 0 for
     *     the system's default
     */
    static RawMqttClient connect(int port, String clientId, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(20_000);
        RawMqttClient c = new RawMqttClient(socket);
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        c.out.write(0x10);
        c.writeLength(12 + id.length);
        c.out.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0});
        c.writeShort(id.length);
        c.out.write(id);
        c.flush();
        Packet connack = c.read();
        if (connack.type() != 2 || connack.body()[1] != 0) {
            socket.close();
            throw new IOException(clientId + ": no CONNACK 0 but packet type " + connack.type());
        }
        return c;
    }

    /** Subscribes and waits for the SUBACK (nothing else may arrive before it). */
    void subscribe(String filter, int qos) throws IOException {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        out.write(0x82);
        writeLength(2 + 2 + f.length + 1);
        writeShort(1);
        writeShort(f.length);
        out.write(f);
        out.write(qos);
        flush();
        Packet suback = read();
        if (suback.type() != SUBACK || (suback.body()[2] & 0xFF) != qos) {
            throw new IOException("SUBACK for " + filter + ": type " + suback.type());
        }
    }

    void publish(byte[] topic, byte[] payload, int qos, int packetId) throws IOException {
        out.write(0x30 | qos << 1);
        writeLength(2 + topic.length + (qos > 0 ? 2 : 0) + payload.length);
        writeShort(topic.length);
        out.write(topic);
        if (qos > 0) {
            writeShort(packetId);
        }
        out.write(payload);
    }

    void puback(int packetId) throws IOException {
        out.write(PUBACK << 4);
        out.write(2);
        writeShort(packetId);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** @return whether a read would find bytes without waiting for the network */
    boolean hasBuffered() throws IOException {
        return in.available() > 0;
    }

    /** The next packet, waiting up to 20 s. */
    Packet read() throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int multiplier = 1;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length += (digit & 0x7F) * multiplier;
            multiplier <<= 7;
        } while ((digit & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >>> 4, first & 0x0F, body);
    }

    /** The next packet if one starts within the time, else null (the rest of a started packet is awaited). */
    Packet poll(int millis) throws IOException {
        if (in.available() == 0) {
            socket.setSoTimeout(millis);
            try {
                in.mark(1);
                if (in.read() < 0) {
                    throw new java.io.EOFException();
                }
                in.reset();
            } catch (SocketTimeoutException e) {
                return null;
            } finally {
                socket.setSoTimeout(20_000);
            }
        }
        return read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
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
}
