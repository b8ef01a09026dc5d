package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One assembled broker with five listeners at once, each with its own transport, used by real clients:
 * plain TCP, TLS with client certificates ({@code use_identity_as_username}), a Unix socket, WebSockets and
 * secure WebSockets. Mosquitto's clients for TCP, TLS and the Unix socket; Eclipse Paho for Python over
 * WebSockets.
 */
class TransportsIT {

    private static CulexProcess culex;
    private static Certificates certs;
    private static int tcp;
    private static int tls;
    private static int ws;
    private static int wss;
    private static String socket;

    @BeforeAll
    static void start() throws Exception {
        culex = CulexProcess.install();
        certs = Certificates.create(culex.home().resolve("certs"));
        tcp = CulexProcess.freePort();
        tls = CulexProcess.freePort();
        ws = CulexProcess.freePort();
        wss = CulexProcess.freePort();
        socket = culex.home().resolve("culex.sock").toString();
        Path conf = culex.writeConfig("transports.conf", String.join("\n",
                "allow_anonymous true",
                "listener " + tcp + " 127.0.0.1",
                "listener " + tls + " 127.0.0.1",
                "certfile " + certs.path("server.crt"),
                "keyfile " + certs.path("server.key"),
                "cafile " + certs.path("ca.crt"),
                "require_certificate true",
                "use_identity_as_username true",
                "listener 0 " + socket,
                "listener " + ws + " 127.0.0.1",
                "protocol websockets",
                "listener " + wss + " 127.0.0.1",
                "protocol websockets",
                "certfile " + certs.path("server.crt"),
                "keyfile " + certs.path("server.key"),
                ""));
        culex.startAndAwait(conf, tcp);
        for (int port : new int[] {tls, ws, wss}) {
            culex.awaitPort(port);
        }
        culex.awaitLog("Opening unix listen socket on " + socket);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    private static String[] tlsClient(String ca, String client, String... more) {
        List<String> args = new ArrayList<>(List.of("--cafile", certs.path(ca + ".crt")));
        if (client != null) {
            args.addAll(List.of("--cert", certs.path(client + ".crt"), "--key", certs.path(client + ".key")));
        }
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void tlsWithClientCertificatesBothWays() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(tls, tlsClient("ca", "client", "-q", "1", "-t",
                "tls/#"))) {
            assertEquals(0, MosquittoTools.pub(tls, tlsClient("ca", "client", "-q", "1", "-t", "tls/a", "-m",
                    "secret")).exitCode);
            assertEquals("tls/a 1 0 secret", sub.next());
        }
        culex.awaitLog("u'client-one'"); // use_identity_as_username: the CN is the user name
    }

    @Test
    void tlsRefusesAServerFromAnotherCaAndClientsWithoutAGoodCertificate() throws Exception {
        MosquittoTools.Result wrongCa = MosquittoTools.pub(tls, tlsClient("other-ca", "client", "-t", "x",
                "-m", "no"));
        assertNotEquals(0, wrongCa.exitCode, wrongCa.toString());
        MosquittoTools.Result noCertificate = MosquittoTools.pub(tls, tlsClient("ca", null, "-t", "x", "-m", "no"));
        assertNotEquals(0, noCertificate.exitCode, noCertificate.toString());
        MosquittoTools.Result stranger = MosquittoTools.pub(tls, tlsClient("ca", "stranger", "-t", "x", "-m",
                "no"));
        assertNotEquals(0, stranger.exitCode, stranger.toString());
    }

    @Test
    void unixSocketBothWays() throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.subWith("--unix", socket, "-q", "1", "-t", "unix/#")) {
            assertEquals(0, MosquittoTools.exec("mosquitto_pub", "--unix", socket, "-q", "1", "-t", "unix/a", "-m",
                    "local").exitCode);
            assertEquals("unix/a 1 0 local", sub.next());
            assertEquals(0, MosquittoTools.pub(tcp, "-t", "unix/b", "-m", "from tcp").exitCode);
            assertEquals("unix/b 0 0 from tcp", sub.next());
        }
        culex.awaitLog("New connection from " + socket + " on port -1");
    }

    @Test
    void webSocketsBothWays() throws Exception {
        roundTrip(ws, "-", "ws");
    }

    @Test
    void secureWebSocketsBothWays() throws Exception {
        roundTrip(wss, certs.path("ca.crt"), "wss");
    }

    /** Paho over the WebSocket listener subscribes and publishes; mosquitto_pub/_sub are on plain TCP. */
    private static void roundTrip(int port, String ca, String topic) throws Exception {
        try (PahoWebSocket sub = PahoWebSocket.start(port, ca, "sub", topic + "/in")) {
            sub.await("READY");
            assertEquals(0, MosquittoTools.pub(tcp, "-q", "1", "-t", topic + "/in", "-m", "to websocket").exitCode);
            sub.await("MSG " + topic + "/in to websocket");
        }
        try (MosquittoTools.Sub tcpSub = MosquittoTools.sub(tcp, "-q", "1", "-t", topic + "/out");
             PahoWebSocket pub = PahoWebSocket.start(port, ca, "pub", topic + "/out", "from websocket")) {
            assertEquals(0, pub.exitCode(), pub.output());
            assertEquals(topic + "/out 1 0 from websocket", tcpSub.next());
        }
    }

    /** {@code ws_client.py} (test resources) run by Debian's python3 with python3-paho-mqtt. */
    private static final class PahoWebSocket implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer all = new StringBuffer();

        private PahoWebSocket(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "ws_client.py reader");
            reader.setDaemon(true);
            reader.start();
        }

        static PahoWebSocket start(int port, String ca, String... args) throws Exception {
            Path script = Paths.get(TransportsIT.class.getResource("/ws_client.py").toURI());
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(),
                    Integer.toString(port), "/mqtt", ca));
            command.addAll(List.of(args));
            return new PahoWebSocket(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        void await(String line) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                String next = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line.equals(next)) {
                    return;
                }
            }
            throw new AssertionError("ws_client.py never printed '" + line + "'; output:\n" + all);
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("ws_client.py did not finish; output:\n" + all);
            }
            return process.exitValue();
        }

        String output() {
            return all.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
