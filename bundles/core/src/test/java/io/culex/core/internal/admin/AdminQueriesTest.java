package io.culex.core.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.BrokerStatistics;
import io.culex.api.ListenerInfo;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/** API 1.4's administration queries and counters against the real engine, with clients on real sockets. */
@ExtendWith(LeakDetection.class)
class AdminQueriesTest {

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Map<String, SessionInfo> sessions() throws Exception {
        return AdminQueries.sessions(broker.engine()).toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
                .collect(Collectors.toMap(SessionInfo::clientId, s -> s));
    }

    @Test
    void sessionsShowOnlineAndOfflineClientsWithTheirQueues() throws Exception {
        try (RawClient away = new RawClient(broker.port())) {
            assertEquals(0, away.connect("away", false, 60));
            away.subscribe(1, "q", 1);
        }
        EmbeddedBroker.await("offline", () -> !broker.engine().sessions().get("away").isOnline());
        try (RawClient here = new RawClient(broker.port()); RawClient pub = new RawClient(broker.port())) {
            assertEquals(0, here.connect("here", true, 60));
            here.subscribe(1, "q", 1);
            pub.connect("pub", true, 60);
            for (int i = 1; i <= 3; i++) {
                pub.publish("q", "m" + i, 1, false, i);
                assertEquals(RawClient.PUBACK, pub.read().type);
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(RawClient.PUBLISH, here.read().type); // not acknowledged: stays inflight
            }
            Map<String, SessionInfo> all = sessions();
            SessionInfo away = all.get("away");
            assertFalse(away.online());
            assertNull(away.client());
            assertEquals(-1, away.expiryIntervalSeconds());
            assertEquals(1, away.subscriptions());
            assertEquals(3, away.queuedMessages());
            SessionInfo online = all.get("here");
            assertTrue(online.online());
            assertEquals("here", online.client().clientId());
            assertEquals(0, online.expiryIntervalSeconds());
            assertEquals(3, online.inflightMessages());
            assertEquals(0, online.queuedMessages());

            BrokerStatistics stats = broker.engine().statistics();
            assertEquals(1, stats.disconnectedClients());
            assertEquals(3, stats.publishReceived());
            assertEquals(6, stats.publishBytesReceived());
            assertEquals(3, stats.publishSent());
            assertEquals(6, stats.publishBytesSent());
            // received: 3 CONNECT, 2 SUBSCRIBE, 3 PUBLISH; sent: 3 CONNACK, 2 SUBACK, 3 PUBACK, 3 PUBLISH
            assertEquals(8, stats.messagesReceived());
            assertEquals(11, stats.messagesSent());
        }
    }

    @Test
    void retainedMessagesAreListedByFilterUpToTheLimit() throws Exception {
        try (RawClient pub = new RawClient(broker.port())) {
            pub.connect("pub", true, 60);
            pub.publish("home/door", "open", 1, true, 1);
            pub.publish("home/window", "shut", 1, true, 2);
            pub.publish("away/car", "parked", 1, true, 3);
            for (int i = 0; i < 3; i++) {
                assertEquals(RawClient.PUBACK, pub.read().type);
            }
        }
        List<RetainedMessage> home = AdminQueries.retained(broker.engine(), "home/+", 10);
        assertEquals(Map.of("home/door", "open", "home/window", "shut"), home.stream().collect(Collectors.toMap(
                RetainedMessage::topic, m -> new String(m.payload(), StandardCharsets.UTF_8))));
        assertEquals(1, home.get(0).qos());
        assertEquals(-1, home.get(0).messageExpiryInterval());
        assertEquals(2, AdminQueries.retained(broker.engine(), "#", 2).size());
        assertEquals(3, AdminQueries.retained(broker.engine(), "#", 100).size());
        assertThrows(IllegalArgumentException.class, () -> AdminQueries.retained(broker.engine(), "a/#/b", 1));
    }

    @Test
    void theListenerIsReportedWithItsConnections() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            assertEquals(0, c.connect("c", true, 60));
            List<ListenerInfo> listeners = AdminQueries.listeners(broker.engine());
            assertEquals(1, listeners.size());
            ListenerInfo l = listeners.get(0);
            assertEquals("test.conf:1", l.source());
            assertEquals("mqtt", l.protocol());
            assertFalse(l.tls());
            assertEquals(1, l.connections());
            assertEquals(broker.port(), ((java.net.InetSocketAddress) l.addresses().get(0)).getPort());
        }
    }

    @Test
    void sharedSubscriptionsAndExpiredSessionsAreCounted() throws Exception {
        try (RawClient member = new RawClient(broker.port())) {
            member.send(Mqtt5Raw.connect("member", true, 60, Mqtt5Raw.props().intProp(0x11, 1)));
            assertEquals(RawClient.CONNACK, member.read().type);
            member.send(Mqtt5Raw.subscribe(1, "$share/g/jobs", 1, Mqtt5Raw.props()));
            assertEquals(RawClient.SUBACK, member.read().type);
            member.send(Mqtt5Raw.subscribe(2, "plain", 1, Mqtt5Raw.props()));
            assertEquals(RawClient.SUBACK, member.read().type);
            BrokerStatistics stats = broker.engine().statistics();
            assertEquals(2, stats.subscriptions());
            assertEquals(1, stats.sharedSubscriptions());
        }
        // session expiry 1 s: the session goes, and counts as expired
        EmbeddedBroker.await("the session to expire", () -> broker.engine().statistics().expiredClients() == 1);
        assertEquals(0, broker.engine().statistics().sharedSubscriptions());
        assertEquals(0, broker.engine().statistics().sessions());
    }

    @Test
    void storedMessagesSocketsAndConnectsAreCounted() throws Exception {
        BrokerStatistics before = broker.engine().statistics();
        try (RawClient away = new RawClient(broker.port())) {
            assertEquals(0, away.connect("away", false, 60));
            away.subscribe(1, "stored/#", 1);
        }
        EmbeddedBroker.await("offline", () -> !broker.engine().sessions().get("away").isOnline());
        try (RawClient pub = new RawClient(broker.port())) {
            pub.connect("pub", true, 60);
            pub.publish("stored/retained", "12345", 1, true, 1); // retained and queued for "away": one message
            pub.publish("stored/queued", "123", 1, false, 2);
            assertEquals(RawClient.PUBACK, pub.read().type);
            assertEquals(RawClient.PUBACK, pub.read().type);
        }
        EmbeddedBroker.await("both messages held and nothing else",
                () -> broker.engine().statistics().storedMessages() == before.storedMessages() + 2);
        BrokerStatistics stats = broker.engine().statistics();
        assertEquals(before.storedMessageBytes() + 8, stats.storedMessageBytes());
        assertEquals(before.socketConnections() + 2, stats.socketConnections());
        assertEquals(before.connectPackets() + 2, stats.connectPackets());

        try (RawClient back = new RawClient(broker.port())) {
            assertEquals(0, back.connect("away", true, 60)); // clean start: the queued messages go
        }
        EmbeddedBroker.await("only the retained message held",
                () -> broker.engine().statistics().storedMessages() == before.storedMessages() + 1);
        assertEquals(before.storedMessageBytes() + 5, broker.engine().statistics().storedMessageBytes());
    }
}
