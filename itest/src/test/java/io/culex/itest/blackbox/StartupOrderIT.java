package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

/**
 * Issue 14, start-up: every configured listener is open before any accepts a client. A client that connects to the
 * first (plain TCP) port the moment it answers MQTT finds the TLS, WebSocket and Unix socket listeners, which take
 * longer to start, already bound and answering.
 */
class StartupOrderIT {

    private static final byte[] CONNECT = {0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 1, 'p'};
    private static final int ANSWER_MILLIS = 5_000;

    @Test
    void theFirstListenerAcceptsOnlyWhenAllAreOpen() throws Exception {
        try (CulexProcess culex = CulexProcess.install()) {
            Certificates certs = Certificates.create(culex.home().resolve("certs"));
            int tcp = CulexProcess.freePort();
            int tls = CulexProcess.freePort();
            int ws = CulexProcess.freePort();
            Path socket = culex.home().resolve("culex.sock");
            Path conf = culex.writeConfig("startup.conf", String.join("\n",
                    "allow_anonymous true",
                    "listener " + tcp + " 127.0.0.1",
                    "listener " + tls + " 127.0.0.1",
                    "certfile " + certs.path("server.crt"),
                    "keyfile " + certs.path("server.key"),
                    "listener " + ws + " 127.0.0.1",
                    "protocol websockets",
                    "listener 0 " + socket,
                    ""));
            culex.start("-c", conf.toString());
            awaitConnack(culex, tcp);

            // checked at once, without waiting: they were bound before the first port accepted
            Set<Integer> listening = ListeningPorts.of(culex.pid());
            assertTrue(listening.containsAll(Set.of(tcp, tls, ws)), "listening: " + listening + "\n" + culex.log());
            assertTrue(Files.exists(socket), "the Unix socket exists");
            // and they accept
            assertTlsHandshake(tls);
            assertWebSocketUpgrade(ws);
            assertUnixSocketConnack(socket);
        }
    }

    /** Poll the port with an MQTT CONNECT until a CONNACK answers. */
    private static void awaitConnack(CulexProcess culex, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertTrue(culex.process().isAlive(), culex.log());
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(ANSWER_MILLIS);
                s.getOutputStream().write(CONNECT);
                byte[] connack = s.getInputStream().readNBytes(4);
                if (connack.length == 4 && connack[0] == 0x20 && connack[3] == 0) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(5); // the port is not bound yet: poll again at once, to catch the first moment
            }
        }
        throw new AssertionError("no CONNACK on port " + port + " within 30 s:\n" + culex.log());
    }

    private static void assertTlsHandshake(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingEveryCertificate()}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(ANSWER_MILLIS);
            s.startHandshake(); // completes only once the broker accepted the connection
            s.getOutputStream().write(CONNECT);
            assertEquals(0x20, s.getInputStream().read(), "CONNACK over TLS");
        }
    }

    private static void assertWebSocketUpgrade(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(ANSWER_MILLIS);
            s.getOutputStream().write(("GET /mqtt HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes("HTTP/1.1 101".length()), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 101", status, "WebSocket upgrade answered");
        }
    }

    private static void assertUnixSocketConnack(Path socket) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap(CONNECT));
            ByteBuffer connack = ByteBuffer.allocate(4);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_MILLIS);
            channel.configureBlocking(false);
            while (connack.hasRemaining() && System.nanoTime() < deadline) {
                if (channel.read(connack) < 0) {
                    break;
                }
                Thread.sleep(5); // a non-blocking read polled with a deadline: SocketChannel has no read timeout
            }
            assertEquals(0x20, connack.get(0), "CONNACK over the Unix socket");
        }
    }

    /** The test checks that the TLS listener accepts, not who it is; the certificate is the test's own. */
    private static final class TrustingEveryCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
