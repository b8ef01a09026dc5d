package io.culex.core.internal.transport;

import io.culex.core.internal.listener.MqttListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.ClientEventListener;
import io.culex.api.ClientInfo;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.Extensions;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** {@code listener 0 <path>}: MQTT over a Unix domain socket (epoll). */
@ExtendWith(LeakDetection.class)
@Timeout(60)
class UnixSocketListenerTest {

    private Path dir;
    private Path socket;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createTempDirectory("culex-unix-");
        socket = dir.resolve("culex.sock");
    }

    @AfterEach
    void clean() throws IOException {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** CONNECT over the socket; returns the CONNACK return code. */
    private static int connect(SocketChannel channel, String clientId) throws IOException {
        channel.write(ByteBuffer.wrap(RawClient.connectPacket("MQTT", 4, clientId, true, 60, null, null, 0, false,
                null, null)));
        DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
        byte[] connack = new byte[4];
        in.readFully(connack);
        assertEquals(0x20, connack[0] & 0xFF);
        return connack[3];
    }

    @Test
    void clientsConnectWithPortMinusOneAndTheSocketPathAsAddress() throws Exception {
        BlockingQueue<ClientInfo> connected = new LinkedBlockingQueue<>();
        ClientEventListener events = new ClientEventListener() {
            @Override
            public void connected(ClientInfo client, boolean sessionPresent) {
                connected.add(client);
            }
        };
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("unix_socket_path", socket.toString()))) {
            broker.extensions().eventListeners.add(new TestServiceReference<>(), events);
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                assertEquals(0, connect(channel, "unix-client"));
                ClientInfo client = connected.poll(10, TimeUnit.SECONDS);
                assertEquals(-1, client.listenerPort());
                assertEquals(socket.toString(), client.remoteAddress().toString());
            }
        }
        assertFalse(Files.exists(socket), "the socket file is removed when the listener stops");
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "closing a Java Unix server socket leaves its file");
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), Map.of("unix_socket_path", socket.toString()));
             SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            assertEquals(0, connect(channel, "after-stale"));
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndReported() throws Exception {
        Files.writeString(socket, "precious");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), Map.of("unix_socket_path", socket.toString())));
        assertTrue(e.getMessage().contains("not a socket") && e.getMessage().contains("test.conf:1"), e.getMessage());
        assertEquals("precious", Files.readString(socket));
    }

    @Test
    void withoutEpollTheListenerFailsClearly() {
        EventLoops nio = new EventLoops(1, false);
        Engine engine = new Engine(BrokerSettings.from(Map.of("allow_anonymous", true)), new Extensions(), nio);
        try {
            MqttListener listener = new MqttListener(ListenerSettings.from(Map.of("port", 0,
                    "unix_socket_path", socket.toString(), "culex.source", "u.conf:2")), engine);
            IllegalStateException e = assertThrows(IllegalStateException.class, listener::start);
            assertTrue(e.getMessage().contains("epoll") && e.getMessage().contains("u.conf:2"), e.getMessage());
        } finally {
            engine.shutdown();
        }
    }
}
