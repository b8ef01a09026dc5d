package io.culex.core.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;
import io.culex.api.MessageInterceptor;
import io.culex.api.SubscriptionTableListener;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.SubscriptionTableEvents;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * API 1.7, what a bundle routing messages between brokers needs: the subscription table as events, unlisted
 * watching subscriptions, and messages that skip the interceptors, the retained store or the routing.
 */
@ExtendWith(LeakDetection.class)
class RelaySeamsTest {

    private EmbeddedBroker broker;
    private Engine engine;
    private final SubscriptionTableEvents tables = new SubscriptionTableEvents();
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
    private final BlockingQueue<String> tableEvents = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker(Map.of());
        engine = broker.engine();
        tables.start(engine.subscriptions(), deliveries);
    }

    @AfterEach
    void stop() {
        tables.stop();
        deliveries.shutdownNow();
        broker.close();
    }

    private void listen() {
        tables.add("listener", "test", new SubscriptionTableListener() {
            @Override
            public void filterAdded(String filter) {
                tableEvents.add("+" + filter);
            }

            @Override
            public void filterRemoved(String filter) {
                tableEvents.add("-" + filter);
            }
        });
    }

    private String nextTableEvent() throws InterruptedException {
        String event = tableEvents.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no subscription table event within 10 s");
        }
        return event;
    }

    @Test
    void theTableListsEachFilterOnceFromItsFirstToItsLastSubscription() throws Exception {
        try (RawClient early = new RawClient(broker.port())) {
            early.connect("early", true, 60);
            early.subscribe(1, "held/before", 0);
            listen();
            assertEquals("+held/before", nextTableEvent(), "what was held at registration comes first");

            InternalSubscription watching = new BundleSubscription(engine, "#", s -> { }).listed(false)
                    .subscribe(DeliveredMessage::complete);
            InternalSubscription bundle = new BundleSubscription(engine, "bundle/+", s -> { })
                    .subscribe(DeliveredMessage::complete);
            assertEquals("+bundle/+", nextTableEvent(), "an unlisted subscription is not reported, a listed one is");

            try (RawClient a = new RawClient(broker.port()); RawClient b = new RawClient(broker.port())) {
                a.connect("a", true, 60);
                b.connect("b", true, 60);
                a.subscribe(1, "shared/x", 1);
                b.subscribe(1, "shared/x", 1);
                a.subscribe(2, "$share/g/work/#", 1);
                assertEquals("+shared/x", nextTableEvent());
                assertEquals("+$share/g/work/#", nextTableEvent(), "a second session's same filter added nothing");
                a.send(0xA2, 2 + 2 + 8, 0, 3, 0, 8, 's', 'h', 'a', 'r', 'e', 'd', '/', 'x'); // UNSUBSCRIBE shared/x
                assertEquals(RawClient.UNSUBACK, a.read().type);
            }
            // a's unsubscribe left b's; then both clean sessions ended with their connections
            assertEquals(java.util.Set.of("-shared/x", "-$share/g/work/#"),
                    java.util.Set.of(nextTableEvent(), nextTableEvent()), "the two sessions ended in either order");
            bundle.close();
            assertEquals("-bundle/+", nextTableEvent());
            watching.close();
            assertEquals(null, tableEvents.poll(200, TimeUnit.MILLISECONDS), "nothing for the unlisted one");
        }
    }

    @Test
    void aRelayedMessageSkipsTheInterceptorsAndTheRetainedStoreButKeepsItsRetainFlag() throws Exception {
        AtomicInteger intercepted = new AtomicInteger();
        broker.extensions().interceptors.add(new TestServiceReference<>(), (MessageInterceptor) (publisher, m) -> {
            intercepted.incrementAndGet();
            return MessageInterceptor.Verdict.CONTINUE;
        });
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        InternalSubscription asPublished = new BundleSubscription(engine, "relay/#", s -> { })
                .retainAsPublished(true).subscribe(received::add);

        new BundlePublish(engine, "relay/t").payload(bytes("from another node")).qos(1).retain(true)
                .intercept(false).storeRetained(false).publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
        DeliveredMessage m = received.poll(10, TimeUnit.SECONDS);
        assertTrue(m != null && m.retain(), "the subscriber with retain as published sees the flag");
        m.complete();
        assertEquals(0, intercepted.get(), "interceptors were not asked");
        assertEquals(0, retainedCount("relay/t"), "the retained store is unchanged");

        new BundlePublish(engine, "relay/t").payload(bytes("plain")).publish().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        received.poll(10, TimeUnit.SECONDS).complete();
        assertEquals(1, intercepted.get(), "a message without the option passes them");
        asPublished.close();
    }

    @Test
    void aReplicatedRetainedMessageIsStoredWithoutReachingSubscribers() throws Exception {
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        InternalSubscription live = new BundleSubscription(engine, "state/#", s -> { }).subscribe(received::add);

        new BundlePublish(engine, "state/door").payload(bytes("open")).retain(true).intercept(false).route(false)
                .publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "no subscriber received it");

        try (RawClient late = new RawClient(broker.port())) {
            late.connect("late", true, 60);
            late.subscribe(1, "state/#", 0);
            RawClient.Packet retained = late.read();
            assertEquals(RawClient.PUBLISH, retained.type);
            assertTrue(retained.retain(), "a new subscription gets it as a retained message");
        }

        new BundlePublish(engine, "state/door").retain(true).intercept(false).route(false).publish()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, retainedCount("state/door"), "an empty payload cleared it");
        live.close();
    }

    @Test
    void aForwardedMessageReachesOnlyTheShareGroupsItNames() throws Exception {
        BlockingQueue<DeliveredMessage> first = new LinkedBlockingQueue<>();
        BlockingQueue<DeliveredMessage> second = new LinkedBlockingQueue<>();
        BlockingQueue<DeliveredMessage> plain = new LinkedBlockingQueue<>();
        InternalSubscription a = new BundleSubscription(engine, "$share/first/work", s -> { }).subscribe(first::add);
        InternalSubscription b = new BundleSubscription(engine, "$share/second/work", s -> { }).subscribe(second::add);
        InternalSubscription c = new BundleSubscription(engine, "work", s -> { }).subscribe(plain::add);

        new BundlePublish(engine, "work").payload(bytes("job")).shareGroups(java.util.Set.of("$share/first/work"))
                .publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
        first.poll(10, TimeUnit.SECONDS).complete();
        plain.poll(10, TimeUnit.SECONDS).complete();
        assertEquals(null, second.poll(300, TimeUnit.MILLISECONDS), "the group not named does not get it");

        new BundlePublish(engine, "work").payload(bytes("job 2")).publish().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        first.poll(10, TimeUnit.SECONDS).complete();
        second.poll(10, TimeUnit.SECONDS).complete();
        plain.poll(10, TimeUnit.SECONDS).complete();
        a.close();
        b.close();
        c.close();
    }

    @Test
    void aMessageForNamedRecipientsReachesOnlyTheirSessionsAndExcludedOnesAreLeftOut() throws Exception {
        BlockingQueue<DeliveredMessage> bundle = new LinkedBlockingQueue<>();
        BlockingQueue<DeliveredMessage> group = new LinkedBlockingQueue<>();
        InternalSubscription plain = new BundleSubscription(engine, "news", s -> { }).subscribe(bundle::add);
        InternalSubscription shared = new BundleSubscription(engine, "$share/g/news", s -> { }).subscribe(group::add);
        try (RawClient alice = new RawClient(broker.port()); RawClient bob = new RawClient(broker.port())) {
            alice.connect("alice", true, 60);
            bob.connect("bob", true, 60);
            alice.subscribe(1, "news", 0);
            bob.subscribe(1, "news", 0);

            new BundlePublish(engine, "news").payload(bytes("for alice")).recipients(java.util.Set.of("alice"))
                    .publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("for alice", alice.read().payloadText());
            group.poll(10, TimeUnit.SECONDS).complete(); // share groups are governed by shareGroups alone
            assertEquals(null, bob.poll(300), "another session does not get it");
            assertEquals(null, bundle.poll(0, TimeUnit.MILLISECONDS), "nor a bundle's subscription");

            new BundlePublish(engine, "news").payload(bytes("nobody")).recipients(java.util.Set.of())
                    .shareGroups(java.util.Set.of()).publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            new BundlePublish(engine, "news").payload(bytes("all")).publish().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("all", alice.read().payloadText(), "an empty set reached no one; without, everyone");
            assertEquals("all", bob.read().payloadText());
            assertEquals("all", new String(bundle.poll(10, TimeUnit.SECONDS).payload(),
                    java.nio.charset.StandardCharsets.UTF_8), "the bundle's first message");

            new BundlePublish(engine, "news").payload(bytes("not alice")).excludedRecipients(java.util.Set.of("alice"))
                    .publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals("not alice", bob.read().payloadText());
            assertEquals("not alice", new String(bundle.poll(10, TimeUnit.SECONDS).payload(),
                    java.nio.charset.StandardCharsets.UTF_8), "a bundle's subscription gets it");
            assertEquals(null, alice.poll(300), "the excluded session does not");
        } finally {
            plain.close();
            shared.close();
        }
    }

    @Test
    void aSubscriptionThatHoldsAcknowledgementsDelaysThePublishersPubackUntilItCompletes() throws Exception {
        BlockingQueue<DeliveredMessage> held = new LinkedBlockingQueue<>();
        InternalSubscription holding = new BundleSubscription(engine, "held/#", s -> { }).holdAcknowledgement(true)
                .subscribe(held::add);
        try (RawClient publisher = new RawClient(broker.port())) {
            publisher.connect("holder-test", true, 60);
            publisher.publish("held/1", "one", 1, false, 7);
            DeliveredMessage delivery = held.poll(10, TimeUnit.SECONDS);
            assertTrue(delivery != null, "the subscription got the message");
            assertEquals(null, publisher.poll(300), "no PUBACK while the delivery is not completed");
            delivery.complete();
            RawClient.Packet puback = publisher.read();
            assertEquals(RawClient.PUBACK, puback.type);
            assertEquals(7, puback.u16(0));

            publisher.publish("held/2", "two", 1, false, 8);
            assertTrue(held.poll(10, TimeUnit.SECONDS) != null);
            holding.close(); // a pending delivery of a closed subscription holds nothing
            assertEquals(8, publisher.read().u16(0));
        }
    }

    private int retainedCount(String topic) {
        List<io.culex.core.internal.routing.Message> out = new java.util.ArrayList<>();
        engine.retained().match(topic, out);
        out.forEach(io.culex.core.internal.routing.Message::release);
        return out.size();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
