package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** Mosquitto's per_listener_settings: security that applies to the clients of one listener only. */
@ExtendWith(LeakDetection.class)
class PerListenerSecurityTest {

    @Test
    void servicesScopedToAnotherListenerDoNotApply() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", false))) {
            Authenticator denyAll = request -> CompletableFuture.completedFuture(Decision.DENY);
            Authorizer denyAllAcl = (client, access, topic, qos, retain) -> Decision.DENY;
            int other = broker.port() + 1;
            broker.extensions().authenticators.add(
                    new TestServiceReference<>(Map.of("culex.listener.port", other)), denyAll);
            broker.extensions().authorizers.add(
                    new TestServiceReference<>(Map.of("culex.listener.port", other)), denyAllAcl);
            try (RawClient anonymous = new RawClient(broker.port())) {
                assertEquals(5, anonymous.connect("anon", true, 60),
                        "no authenticator applies here: the broker's allow_anonymous false decides");
            }
            broker.reconfigure(Map.of("allow_anonymous", true));
            try (PahoClient sub = PahoClient.connect(broker.uri(), "sub");
                 PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
                sub.subscribe("t", 0);
                pub.publish("t", "allowed: no authorizer applies to this listener", 0, false);
                assertEquals("allowed: no authorizer applies to this listener", sub.next().text());
            }
        }
    }

    @Test
    void servicesScopedToThisListenerApply() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            broker.extensions().authenticators.add(
                    new TestServiceReference<>(Map.of("culex.listener.port", broker.port())),
                    (Authenticator) request -> CompletableFuture.completedFuture(Decision.DENY));
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(5, c.connect("refused", true, 60));
            }
        }
    }

    @Test
    void listenerAllowAnonymousOverridesTheBrokers() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true),
                Map.of("allow_anonymous", false));
             RawClient c = new RawClient(broker.port())) {
            assertEquals(5, c.connect("anon", true, 60));
        }
    }

    @Test
    void aServiceScopedToAUnixSocketListenerAppliesToItsClients() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("culex-unix-");
        java.nio.file.Path socket = dir.resolve("s.sock");
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true),
                Map.of("unix_socket_path", socket.toString(), "service.pid", "io.culex.core.listener~unix"))) {
            broker.extensions().authenticators.add(
                    new TestServiceReference<>(Map.of("culex.listener", "io.culex.core.listener~elsewhere")),
                    (Authenticator) request -> CompletableFuture.completedFuture(Decision.DENY));
            assertEquals(0, connectOverUnixSocket(socket, "unix-1"), "a service of another listener does not apply");
            broker.extensions().authenticators.add(
                    new TestServiceReference<>(Map.of("culex.listener", "io.culex.core.listener~unix")),
                    (Authenticator) request -> CompletableFuture.completedFuture(Decision.DENY));
            assertEquals(5, connectOverUnixSocket(socket, "unix-2"), "the Unix-socket listener's own one decides");
        } finally {
            java.nio.file.Files.deleteIfExists(socket);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    @Test
    void twoListenersOnOnePortWithDifferentAddressesAreToldApart() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            io.culex.core.internal.listener.MqttListener second = new io.culex.core.internal.listener.MqttListener(
                    io.culex.core.internal.settings.ListenerSettings.from(Map.of("port", broker.port(),
                            "bind_address", "127.0.0.2", "service.pid", "second", "culex.source", "test.conf:2")),
                    broker.engine());
            second.start();
            try {
                broker.extensions().authenticators.add(new TestServiceReference<>(Map.of("culex.listener", "second")),
                        (Authenticator) request -> CompletableFuture.completedFuture(Decision.DENY));
                try (RawClient first = new RawClient(broker.port())) {
                    assertEquals(0, first.connect("on-first", true, 60), "127.0.0.1: no authenticator applies");
                }
                try (RawClient other = new RawClient(new java.net.Socket("127.0.0.2", broker.port()))) {
                    assertEquals(5, other.connect("on-second", true, 60), "127.0.0.2: the second listener's applies");
                }
            } finally {
                second.stop();
            }
        }
    }

    private static int connectOverUnixSocket(java.nio.file.Path socket, String clientId) throws Exception {
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(socket))) {
            channel.write(java.nio.ByteBuffer.wrap(RawClient.connectPacket("MQTT", 4, clientId, true, 60, null,
                    null, 0, false, null, null)));
            byte[] connack = new byte[4];
            new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(channel)).readFully(connack);
            return connack[3];
        }
    }
}
