package io.culex.core.internal.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * MQTT over a real WebSocket client (the JDK's {@link java.net.http.WebSocket}): raw MQTT packets as binary
 * frames, and the bytes received parsed back into packets whatever the frame boundaries.
 */
public final class WebSocketClient implements AutoCloseable {

    private final WebSocket socket;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Void> pong = new CompletableFuture<>();
    private byte[] pending = new byte[0];

    private WebSocketClient(URI uri, SSLContext ssl, String subprotocol) throws Exception {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (ssl != null) {
            http.sslContext(ssl);
        }
        WebSocket.Builder builder = http.build().newWebSocketBuilder();
        if (subprotocol != null) {
            builder.subprotocols(subprotocol);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                received.add(bytes);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(new byte[] {(byte) 0xFF}); // no MQTT packet starts so: fails the test that reads it
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                pong.complete(null);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    public static WebSocketClient connect(String uri, SSLContext ssl) throws Exception {
        return new WebSocketClient(URI.create(uri), ssl, "mqtt");
    }

    public static WebSocketClient connect(String uri, SSLContext ssl, String subprotocol) throws Exception {
        return new WebSocketClient(URI.create(uri), ssl, subprotocol);
    }

    /** @return the subprotocol the server chose ("" for none) */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Send bytes as one binary frame. */
    public void send(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    /** Send bytes as a binary frame of the first {@code split} bytes and a continuation frame of the rest. */
    public void sendInTwoFrames(byte[] bytes, int split) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes, 0, split), false).get(10, TimeUnit.SECONDS);
        socket.sendBinary(ByteBuffer.wrap(bytes, split, bytes.length - split), true).get(10, TimeUnit.SECONDS);
    }

    public void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** Ping and wait for the pong. */
    public void ping() throws Exception {
        socket.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(10, TimeUnit.SECONDS);
        pong.get(10, TimeUnit.SECONDS);
    }

    /** @return the next MQTT packet, as RawClient reads it; fails after 10 s */
    public RawClient.Packet read() throws Exception {
        while (true) {
            RawClient.Packet packet = parse();
            if (packet != null) {
                return packet;
            }
            byte[] more = received.poll(10, TimeUnit.SECONDS);
            if (more == null) {
                throw new IOException("nothing received within 10 s");
            }
            byte[] joined = new byte[pending.length + more.length];
            System.arraycopy(pending, 0, joined, 0, pending.length);
            System.arraycopy(more, 0, joined, pending.length, more.length);
            pending = joined;
        }
    }

    private RawClient.Packet parse() {
        int at = 1;
        int length = 0;
        int multiplier = 1;
        while (true) {
            if (at >= pending.length) {
                return null;
            }
            int digit = pending[at++] & 0xFF;
            length += (digit & 127) * multiplier;
            multiplier *= 128;
            if ((digit & 128) == 0) {
                break;
            }
        }
        if (pending.length < at + length) {
            return null;
        }
        byte[] body = new byte[length];
        System.arraycopy(pending, at, body, 0, length);
        RawClient.Packet packet = new RawClient.Packet(pending[0] & 0xFF, body);
        byte[] rest = new byte[pending.length - at - length];
        System.arraycopy(pending, at + length, rest, 0, rest.length);
        pending = rest;
        return packet;
    }

    /** @return {@code true} if the server closes the WebSocket (or the connection) within 10 s */
    public boolean awaitClosed() throws Exception {
        try {
            closed.get(10, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
