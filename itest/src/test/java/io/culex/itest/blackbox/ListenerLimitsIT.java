package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Listener options of culex.conf as clients see them: {@code max_connections} (a closed connection frees its slot,
 * {@code -1} is unlimited) and a listener whose port is taken (a clear error naming address and line, the other
 * listeners serving).
 */
class ListenerLimitsIT {

    private static CulexProcess culex;
    private static int limitedPort;
    private static int unlimitedPort;

    @BeforeAll
    static void start() throws Exception {
        limitedPort = CulexProcess.freePort();
        unlimitedPort = CulexProcess.freePort();
        culex = CulexProcess.install();
        culex.start("-c", culex.writeConfig("limits.conf", "allow_anonymous true\n"
                + "listener " + limitedPort + " 127.0.0.1\nmax_connections 1\n"
                + "listener " + unlimitedPort + " 127.0.0.1\nmax_connections -1\n").toString());
        culex.awaitPort(unlimitedPort);
        culex.awaitPort(limitedPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (culex != null) {
            culex.close();
        }
    }

    /** An MQTT 3.1.1 CONNECT over a plain socket; the connection stays open until closed. */
    private static final class Connection implements AutoCloseable {
        final Socket socket;

        Connection(int port, String clientId) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            byte[] id = clientId.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] connect = new byte[14 + id.length];
            byte[] header = {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length};
            System.arraycopy(header, 0, connect, 0, header.length);
            System.arraycopy(id, 0, connect, header.length, id.length);
            socket.getOutputStream().write(connect);
        }

        /** @return the CONNACK return code, or -1 if the broker closed the connection instead */
        int connackCode() throws IOException {
            try {
                InputStream in = socket.getInputStream();
                byte[] connack = in.readNBytes(4);
                return connack.length == 4 && connack[0] == 0x20 ? connack[3] : -1;
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }

        /** A polite end: DISCONNECT, then the broker closes. */
        void disconnect() throws IOException {
            socket.getOutputStream().write(new byte[] {(byte) 0xE0, 0});
            assertEquals(-1, socket.getInputStream().read());
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The broker frees a slot when it has seen the close, which comes a moment after the client's own. */
    private static Connection awaitAccepted(int port, String clientId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Connection c = new Connection(port, clientId);
            if (c.connackCode() == 0) {
                return c;
            }
            c.close();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no slot for " + clientId + " on port " + port + " within 10 s:\n"
                        + culex.log());
            }
            Thread.sleep(50);
        }
    }

    @Test
    void maxConnectionsOneRefusesASecondClientAndAClosedConnectionFreesTheSlot() throws Exception {
        // awaited: the start-up's port probe may hold the slot for a moment after it closed
        try (Connection first = awaitAccepted(limitedPort, "first")) {
            try (Connection second = new Connection(limitedPort, "second")) {
                assertEquals(-1, second.connackCode(), "over the limit: closed without CONNACK");
            }
            first.disconnect();
        }
        try (Connection third = awaitAccepted(limitedPort, "third")) {
            try (Connection fourth = new Connection(limitedPort, "fourth")) {
                assertEquals(-1, fourth.connackCode(), "the freed slot is taken again");
            }
            third.socket.setSoLinger(true, 0); // an abrupt end (RST), not a DISCONNECT, frees it as well
        }
        try (Connection fifth = awaitAccepted(limitedPort, "fifth")) {
            assertEquals(0, MosquittoTools.pub(unlimitedPort, "-t", "x", "-m", "y").exitCode,
                    "the other listener has its own limit");
        }
    }

    @Test
    void maxConnectionsMinusOneIsUnlimited() throws Exception {
        List<Connection> many = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Connection c = new Connection(unlimitedPort, "many-" + i);
                many.add(c);
                assertEquals(0, c.connackCode(), "connection " + (i + 1) + " of 20");
            }
        } finally {
            for (Connection c : many) {
                c.close();
            }
        }
    }

    @Test
    void aListenerWhosePortIsTakenIsAClearErrorAndTheOthersServe() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CulexProcess busy = CulexProcess.install()) {
            int free = CulexProcess.freePort();
            String conf = busy.writeConfig("busy.conf", "allow_anonymous true\n"
                    + "listener " + taken.getLocalPort() + " 127.0.0.1\n"
                    + "listener " + free + " 127.0.0.1\n").toString();
            busy.start("-c", conf);
            busy.awaitPort(free);
            busy.awaitLog("Error: Unable to listen on 127\\.0\\.0\\.1:" + taken.getLocalPort()
                    + ": .*Address already in use \\(" + java.util.regex.Pattern.quote(conf) + ":2\\)");
            assertTrue(busy.process().isAlive());
            assertEquals(0, MosquittoTools.pub(free, "-t", "x", "-m", "y").exitCode);
        }
    }
}
