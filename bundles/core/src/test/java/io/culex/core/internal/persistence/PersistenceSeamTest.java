package io.culex.core.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.InMemoryStore;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * The persistence SPI against the real engine and clients on real sockets: the events a store hears, the
 * acknowledgements that wait for its durability, the restore, and the snapshot a store installed at run time gets.
 */
@ExtendWith(LeakDetection.class)
class PersistenceSeamTest {

    private static final Map<String, Object> SETTINGS = Map.of("max_queued_messages", 100);

    private static void disconnect(RawClient client) throws Exception {
        client.send(0xE0, 0);
        assertTrue(client.awaitClosed());
    }

    /** A persistent session subscribed to a/# at QoS 1, then offline. */
    private static void offlineSubscriber(EmbeddedBroker broker, String clientId) throws Exception {
        try (RawClient keeper = new RawClient(broker.port())) {
            assertEquals(0, keeper.connect(clientId, false, 60));
            keeper.subscribe(1, "a/#", 1);
            disconnect(keeper);
        }
    }

    private static void publish(EmbeddedBroker broker, String topic, String payload, boolean retain)
            throws Exception {
        try (RawClient publisher = new RawClient(broker.port())) {
            assertEquals(0, publisher.connect("publisher", true, 60));
            publisher.publish(topic, payload, 1, retain, 1);
            assertEquals(RawClient.PUBACK, publisher.read().type);
            disconnect(publisher);
        }
    }

    @Test
    void theChangesOfStoredSessionsReachTheStoreAndCleanSessionsStayOut() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            broker.addStore(store);
            offlineSubscriber(broker, "keeper");
            try (RawClient clean = new RawClient(broker.port())) {
                assertEquals(0, clean.connect("cleaner", true, 60));
                clean.subscribe(1, "a/#", 1);
                publish(broker, "a/1", "m1", false);
                assertEquals("m1", clean.read().payloadText());
            }

            InMemoryStore.StoredSession keeper = store.session("keeper");
            assertNotNull(keeper);
            assertTrue(keeper.record.disconnectedAtMillis() > 0, "offline since its disconnection");
            assertEquals(ProtocolVersion.MQTT_3_1_1, keeper.record.protocolVersion());
            assertEquals(List.of("a/#"), List.copyOf(keeper.subscriptions.keySet()));
            assertEquals(1, keeper.outgoing.size());
            PersistedOutgoing queued = keeper.outgoing.firstEntry().getValue();
            assertEquals(PersistedOutgoing.State.QUEUED, queued.state());
            assertEquals("m1", InMemoryStore.text(store.message(queued.messageId()).payload()));
            assertNull(store.session("cleaner"), "a clean session is not stored");
            assertTrue(store.events().stream().noneMatch(e -> e.contains("cleaner")), store.events().toString());

            try (RawClient back = new RawClient(broker.port())) {
                assertEquals(0, back.connect("keeper", false, 60));
                RawClient.Packet m1 = back.read();
                assertEquals("m1", m1.payloadText());
                EmbeddedBroker.await("the entry is sent", () -> sentWith(store, "keeper", m1.publishPacketId()));
                back.ack(RawClient.PUBACK, m1.publishPacketId());
                EmbeddedBroker.await("the entry is removed", () -> outgoing(store, "keeper") == 0);
            }
        }
    }

    private static boolean sentWith(InMemoryStore store, String clientId, int packetId) {
        synchronized (store) {
            InMemoryStore.StoredSession s = store.session(clientId);
            return s.outgoing.size() == 1 && s.outgoing.firstEntry().getValue().state() == PersistedOutgoing.State.SENT
                    && s.outgoing.firstEntry().getValue().packetId() == packetId;
        }
    }

    private static int outgoing(InMemoryStore store, String clientId) {
        synchronized (store) {
            return store.session(clientId).outgoing.size();
        }
    }

    @Test
    void acknowledgementsWaitForTheStoreAndKeepTheirOrder() throws Exception {
        InMemoryStore store = new InMemoryStore();
        List<CompletableFuture<Void>> syncs = new CopyOnWriteArrayList<>();
        store.syncWith(() -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            syncs.add(f);
            return f;
        });
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            broker.addStore(store);
            offlineSubscriber(broker, "keeper");
            try (RawClient publisher = new RawClient(broker.port())) {
                assertEquals(0, publisher.connect("publisher", true, 60));
                publisher.publish("a/1", "first", 1, false, 1);
                publisher.publish("a/2", "second", 1, false, 2);
                EmbeddedBroker.await("both messages settled", () -> syncs.size() == 2);
                assertNull(publisher.poll(200), "no PUBACK before the store is durable");

                syncs.get(1).complete(null);
                assertNull(publisher.poll(200), "the second PUBACK waits for the first");
                syncs.get(0).complete(null);
                RawClient.Packet first = publisher.read();
                RawClient.Packet second = publisher.read();
                assertEquals(RawClient.PUBACK, first.type);
                assertEquals(1, first.u16(0));
                assertEquals(2, second.u16(0));
            }
            assertEquals(2, outgoing(store, "keeper"), "both were stored before they were acknowledged");
        }
    }

    @Test
    void aRestartRestoresSessionsSubscriptionsQueuedAndRetainedMessages() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker first = new EmbeddedBroker(SETTINGS)) {
            first.addStore(store);
            offlineSubscriber(first, "keeper");
            publish(first, "a/1", "queued", false);
            publish(first, "r/1", "kept", true);
        }
        assertNotNull(store.session("keeper"), "stopping the broker does not remove what the store holds");
        assertEquals("kept", store.retainedText("r/1"));

        try (EmbeddedBroker second = new EmbeddedBroker(SETTINGS)) {
            assertFalse(second.engine().persistence().restored().toCompletableFuture().isDone());
            second.addStore(store);
            second.engine().persistence().restored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (RawClient keeper = new RawClient(second.port())) {
                keeper.send(RawClient.connectPacket("MQTT", 4, "keeper", false, 60, null, null, 0, false, null,
                        null));
                RawClient.Packet connack = keeper.read();
                assertEquals(1, connack.body[0] & 1, "session present");
                RawClient.Packet queued = keeper.read();
                assertEquals("queued", queued.payloadText());
                assertEquals(1, queued.qos());
                keeper.ack(RawClient.PUBACK, queued.publishPacketId());
                publish(second, "a/2", "after", false);
                assertEquals("after", keeper.read().payloadText(), "the subscription was restored");
            }
            try (RawClient reader = new RawClient(second.port())) {
                assertEquals(0, reader.connect("reader", true, 60));
                reader.subscribe(1, "r/#", 1);
                RawClient.Packet retained = reader.read();
                assertEquals("kept", retained.payloadText());
                assertTrue(retained.retain());
            }
        }
    }

    @Test
    void anIncomingQos2PacketIdSurvivesARestartSoARetransmissionIsNotRoutedTwice() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker first = new EmbeddedBroker(SETTINGS)) {
            first.addStore(store);
            offlineSubscriber(first, "keeper");
            try (RawClient sender = new RawClient(first.port())) {
                assertEquals(0, sender.connect("sender", false, 60));
                sender.send(RawClient.publishPacket("a/q2", "once".getBytes(), 2, false, false, 7));
                assertEquals(RawClient.PUBREC, sender.read().type);
            }
        }
        assertEquals(List.of(7), List.copyOf(store.session("sender").incomingQos2));

        try (EmbeddedBroker second = new EmbeddedBroker(SETTINGS)) {
            second.addStore(store);
            second.engine().persistence().restored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (RawClient sender = new RawClient(second.port())) {
                sender.send(RawClient.connectPacket("MQTT", 4, "sender", false, 60, null, null, 0, false, null,
                        null));
                assertEquals(RawClient.CONNACK, sender.read().type);
                sender.send(RawClient.publishPacket("a/q2", "once".getBytes(), 2, false, true, 7));
                assertEquals(RawClient.PUBREC, sender.read().type);
                sender.ack(RawClient.PUBREL, 7);
                RawClient.Packet pubcomp = sender.read();
                assertEquals(RawClient.PUBCOMP, pubcomp.type);
                EmbeddedBroker.await("the packet id is forgotten",
                        () -> store.session("sender").incomingQos2.isEmpty());
            }
            try (RawClient keeper = new RawClient(second.port())) {
                keeper.send(RawClient.connectPacket("MQTT", 4, "keeper", false, 60, null, null, 0, false, null,
                        null));
                assertEquals(RawClient.CONNACK, keeper.read().type);
                RawClient.Packet once = keeper.read();
                assertEquals("once", once.payloadText());
                keeper.ack(RawClient.PUBREC, once.publishPacketId());
                RawClient.Packet next = keeper.read();
                assertEquals(RawClient.PUBREL, next.type, "no second copy of the message");
            }
        }
    }

    @Test
    void aStoreInstalledAtRunTimeGetsTheRunningStateWhichReplacesWhatItHeld() throws Exception {
        InMemoryStore store = new InMemoryStore();
        // what the store held from an earlier run: keeper with another subscription, and a session the broker lacks
        store.sessionSaved(new PersistedSession("keeper", null, null, ProtocolVersion.MQTT_3_1_1,
                PersistedSession.NEVER_EXPIRES, 1, null, 0));
        store.subscriptionAdded("keeper", new PersistedSubscription("stale/#", 0, false, false, 0, 0));
        store.sessionSaved(new PersistedSession("sleeper", null, null, ProtocolVersion.MQTT_5, 3600,
                System.currentTimeMillis(), null, 0));
        store.subscriptionAdded("sleeper", new PersistedSubscription("s/#", 1, false, false, 0, 0));
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            offlineSubscriber(broker, "keeper");
            publish(broker, "a/1", "m1", false);
            publish(broker, "r/1", "kept", true);

            broker.addStore(store);
            broker.engine().persistence().restored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            EmbeddedBroker.await("the snapshot", () -> store.retainedText("r/1") != null);
            synchronized (store) {
                InMemoryStore.StoredSession keeper = store.session("keeper");
                assertEquals(List.of("a/#"), List.copyOf(keeper.subscriptions.keySet()), "the running state wins");
                assertEquals(1, keeper.outgoing.size());
                assertEquals("m1", InMemoryStore.text(
                        store.message(keeper.outgoing.firstEntry().getValue().messageId()).payload()));
            }
            assertEquals("kept", store.retainedText("r/1"));
            assertNotNull(broker.engine().sessions().get("sleeper"), "what the broker lacked was restored");
            publish(broker, "s/1", "for sleeper", false);
            EmbeddedBroker.await("the restored session queues", () -> outgoing(store, "sleeper") == 1);
        }
    }

    @Test
    void aPublishTheStoreCannotMakeDurableIsRefused() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            broker.addStore(store);
            offlineSubscriber(broker, "keeper"); // so that the messages below are stored
            store.syncWith(() -> CompletableFuture.failedFuture(new java.io.IOException("No space left on device")));
            try (RawClient v5 = new RawClient(broker.port())) {
                v5.send(Mqtt5Raw.connect("v5", true, 60, Mqtt5Raw.props()));
                assertEquals(RawClient.CONNACK, v5.read().type);
                v5.send(Mqtt5Raw.publish("a/1", "lost?", 1, false, 3, Mqtt5Raw.props()));
                RawClient.Packet puback = v5.read();
                assertEquals(RawClient.PUBACK, puback.type);
                assertEquals(0x80, puback.body[2] & 0xFF, "unspecified error");
            }
            try (RawClient v3 = new RawClient(broker.port())) {
                assertEquals(0, v3.connect("v3", true, 60));
                v3.publish("a/1", "lost?", 1, false, 4);
                assertTrue(v3.awaitClosed(), "an MQTT 3 publisher cannot be told: it is disconnected unacknowledged");
            }
        }
    }

    @Test
    void aPublishThatNoStoredSessionReceivesDoesNotWaitForTheStore() throws Exception {
        InMemoryStore store = new InMemoryStore();
        store.syncWith(CompletableFuture::new); // never durable
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            broker.addStore(store);
            try (RawClient online = new RawClient(broker.port()); RawClient publisher = new RawClient(broker.port())) {
                assertEquals(0, online.connect("online", true, 60));
                online.subscribe(1, "a/#", 1);
                assertEquals(0, publisher.connect("publisher", true, 60));
                publisher.publish("a/1", "transient", 1, false, 1);
                assertEquals(RawClient.PUBACK, publisher.read().type, "nothing was stored: nothing to wait for");
                assertEquals("transient", online.read().payloadText());
            }
        }
    }

    @Test
    void restoredMessagesExpireAndExpiredSessionsEnd() throws Exception {
        InMemoryStore store = new InMemoryStore();
        long now = System.currentTimeMillis();
        store.sessionSaved(new PersistedSession("gone", null, null, ProtocolVersion.MQTT_5, 10, now - 60_000, null,
                0));
        store.sessionSaved(new PersistedSession("here", null, null, ProtocolVersion.MQTT_5, 3600, now - 1_000, null,
                0));
        store.outgoingAdded("here", new PersistedOutgoing(1, 11, 1, false, new int[0],
                PersistedOutgoing.State.QUEUED, 0), PersistedMessage.of(11, "a/old", "old".getBytes(), 1, false,
                null, new byte[0], now - 1));
        store.outgoingAdded("here", new PersistedOutgoing(2, 12, 1, false, new int[0],
                PersistedOutgoing.State.QUEUED, 0), PersistedMessage.of(12, "a/new", "new".getBytes(), 1, false,
                null, new byte[0], PersistedMessage.NEVER_EXPIRES));
        try (EmbeddedBroker broker = new EmbeddedBroker(SETTINGS)) {
            broker.addStore(store);
            broker.engine().persistence().restored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertNull(broker.engine().sessions().get("gone"), "its expiry passed while the broker was stopped");
            EmbeddedBroker.await("the expired session leaves the store", () -> store.session("gone") == null);
            try (RawClient here = new RawClient(broker.port())) {
                here.send(Mqtt5Raw.connect("here", false, 60, Mqtt5Raw.props().intProp(0x11, 3600)));
                RawClient.Packet connack = here.read();
                assertEquals(1, connack.body[0] & 1, "session present");
                assertEquals("new", Mqtt5Raw.readPublish(here).payload, "the expired message is not delivered");
            }
        }
    }

    @Test
    void aDelayedWillSurvivesARestartAndIsPublishedWhenItsDelayEnds() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker first = new EmbeddedBroker(SETTINGS)) {
            first.addStore(store);
            RawClient dying = new RawClient(first.port());
            dying.send(Mqtt5Raw.connect("dying", true, 60, Mqtt5Raw.props().intProp(0x11, 3600), "wills/dying",
                    "gone", Mqtt5Raw.props().intProp(0x18, 3), 1));
            assertEquals(RawClient.CONNACK, dying.read().type);
            dying.close(); // lost without DISCONNECT: the will waits for its delay
            EmbeddedBroker.await("the pending will is stored", () -> {
                synchronized (store) {
                    InMemoryStore.StoredSession s = store.session("dying");
                    return s != null && s.record.disconnectedAtMillis() > 0 && s.record.will() != null;
                }
            });
        }
        assertNotNull(store.session("dying").record.will(), "stopping the broker keeps the will in the store");
        try (EmbeddedBroker second = new EmbeddedBroker(SETTINGS)) {
            try (RawClient watcher = new RawClient(second.port())) {
                assertEquals(0, watcher.connect("watcher", true, 60));
                watcher.subscribe(1, "wills/#", 1);
                second.addStore(store);
                RawClient.Packet will = watcher.read();
                assertEquals("gone", will.payloadText(), "published once its delay passed, after the restart");
            }
            EmbeddedBroker.await("the store forgets the will",
                    () -> store.session("dying") == null || store.session("dying").record.will() == null);
        }
    }

    @Test
    void aReleasedQos2DeliveryResumesWithPubrelAfterARestart() throws Exception {
        InMemoryStore store = new InMemoryStore();
        try (EmbeddedBroker first = new EmbeddedBroker(SETTINGS)) {
            first.addStore(store);
            try (RawClient keeper = new RawClient(first.port())) {
                assertEquals(0, keeper.connect("keeper", false, 60));
                keeper.subscribe(1, "a/#", 2);
                try (RawClient publisher = new RawClient(first.port())) {
                    assertEquals(0, publisher.connect("publisher", true, 60));
                    publisher.send(RawClient.publishPacket("a/2", "exactly once".getBytes(), 2, false, false, 1));
                    assertEquals(RawClient.PUBREC, publisher.read().type);
                }
                RawClient.Packet m = keeper.read();
                assertEquals("exactly once", m.payloadText());
                keeper.ack(RawClient.PUBREC, m.publishPacketId());
                assertEquals(RawClient.PUBREL, keeper.read().type);
                EmbeddedBroker.await("the entry is released", () -> {
                    synchronized (store) {
                        InMemoryStore.StoredSession s = store.session("keeper");
                        return s.outgoing.size() == 1 && s.outgoing.firstEntry().getValue().state()
                                == PersistedOutgoing.State.RELEASED;
                    }
                });
            }
        }
        try (EmbeddedBroker second = new EmbeddedBroker(SETTINGS)) {
            second.addStore(store);
            second.engine().persistence().restored().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (RawClient keeper = new RawClient(second.port())) {
                keeper.send(RawClient.connectPacket("MQTT", 4, "keeper", false, 60, null, null, 0, false, null,
                        null));
                assertEquals(RawClient.CONNACK, keeper.read().type);
                RawClient.Packet pubrel = keeper.read();
                assertEquals(RawClient.PUBREL, pubrel.type, "only PUBREL: the message itself was delivered");
                keeper.ack(RawClient.PUBCOMP, pubrel.u16(0));
                EmbeddedBroker.await("the exchange is over", () -> outgoing(store, "keeper") == 0);
            }
        }
    }
}
