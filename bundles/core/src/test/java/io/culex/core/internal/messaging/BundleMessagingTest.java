package io.culex.core.internal.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;
import io.culex.api.MessageSelector;
import io.culex.api.PublishResult;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;

/**
 * The API 1.4 messaging seams against the real engine: bundles publish with MQTT 5 properties and an origin, and
 * subscribe inside the broker with flow control, beside clients on real sockets.
 */
@ExtendWith(LeakDetection.class)
class BundleMessagingTest {

    private EmbeddedBroker broker;
    private Engine engine;

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker(Map.of("max_queued_messages", 100, "culex.flow_control_stall_ms", 60_000L));
        engine = broker.engine();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private InternalSubscription subscribe(String filter, BlockingQueue<DeliveredMessage> into) {
        return new BundleSubscription(engine, filter, s -> { }).subscribe(into::add);
    }

    private static DeliveredMessage next(BlockingQueue<DeliveredMessage> queue) throws InterruptedException {
        DeliveredMessage m = queue.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    @Test
    void aBundleMessageReachesAnMqtt5ClientWithItsProperties() throws Exception {
        try (RawClient client = new RawClient(broker.port())) {
            client.send(Mqtt5Raw.connect("v5", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, client.read().type);
            client.send(Mqtt5Raw.subscribe(1, "bundle/out", 1, Mqtt5Raw.props()));
            assertEquals(RawClient.SUBACK, client.read().type);

            PublishResult result = new BundlePublish(engine, "bundle/out").payload("hi".getBytes(StandardCharsets.UTF_8))
                    .qos(1).messageExpiryInterval(3600).payloadFormatUtf8(true).contentType("text/plain")
                    .responseTopic("bundle/reply").correlationData("c-1".getBytes(StandardCharsets.UTF_8))
                    .userProperty("a", "1").userProperty("a", "2").publish()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertFalse(result.denied());
            assertEquals(1, result.subscribers());

            Mqtt5Raw.Publish p = Mqtt5Raw.readPublish(client);
            assertEquals("hi", p.payload);
            assertEquals(1, p.qos);
            assertEquals("text/plain", p.contentType);
            assertEquals("bundle/reply", p.responseTopic);
            assertEquals("c-1", p.correlationData);
            assertEquals(1, p.payloadFormat);
            assertEquals(List.of("a=1", "a=2"), p.userProperties);
            assertTrue(p.messageExpiry > 3590 && p.messageExpiry <= 3600, "expiry " + p.messageExpiry);
        }
    }

    @Test
    void anInternalSubscriptionGetsWhatAClientPublishesWithItsProperties() throws Exception {
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        try (InternalSubscription sub = subscribe("sensors/+", received);
             RawClient client = new RawClient(broker.port())) {
            client.send(Mqtt5Raw.connect("sensor", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, client.read().type);
            client.send(Mqtt5Raw.publish("sensors/t1", "21.5", 1, false, 7, Mqtt5Raw.props()
                    .stringProp(0x03, "text/plain").userProperty("unit", "C")));
            assertEquals(RawClient.PUBACK, client.read().type);

            DeliveredMessage m = next(received);
            assertEquals("sensors/t1", m.topic());
            assertArrayEquals("21.5".getBytes(StandardCharsets.UTF_8), m.payload());
            assertEquals(1, m.qos());
            assertFalse(m.retain());
            assertEquals(-1, m.messageExpiryInterval());
            assertEquals("sensor", m.origin());
            assertEquals("text/plain", m.properties().contentType());
            assertEquals(List.of(new AbstractMap.SimpleImmutableEntry<>("unit", "C")), m.properties().userProperties());
            assertNull(m.properties().responseTopic());
            assertEquals(1, sub.pending());
            m.complete();
            m.complete(); // idempotent
            EmbeddedBroker.await("the completion", () -> sub.pending() == 0);
        }
    }

    @Test
    void anOriginWithNoLocalKeepsABundleFromGettingItsOwnMessagesBack() throws Exception {
        BlockingQueue<DeliveredMessage> bridge = new LinkedBlockingQueue<>();
        BlockingQueue<DeliveredMessage> other = new LinkedBlockingQueue<>();
        try (InternalSubscription loopFree = new BundleSubscription(engine, "#", s -> { })
                     .origin("bridge-a").noLocal(true).subscribe(bridge::add);
             InternalSubscription plain = subscribe("#", other)) {
            new BundlePublish(engine, "from/remote").origin("bridge-a").publish().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            new BundlePublish(engine, "from/local").publish().toCompletableFuture().get(10, TimeUnit.SECONDS);

            // messages of different origins may overtake each other; each origin's keep their order
            assertEquals(java.util.Set.of("from/remote", "from/local"),
                    java.util.Set.of(next(other).topic(), next(other).topic()));
            DeliveredMessage only = next(bridge);
            assertEquals("from/local", only.topic(), "the bridge got its own message back");
            only.complete();
            other.forEach(DeliveredMessage::complete);
        }
    }

    @Test
    void retainedMessagesAreSentWhenTheSubscriptionStartsUnlessDeclined() throws Exception {
        new BundlePublish(engine, "state/door").payload(new byte[] {1}).retain(true).publish()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        BlockingQueue<DeliveredMessage> declined = new LinkedBlockingQueue<>();
        try (InternalSubscription sub = subscribe("state/#", received);
             InternalSubscription none = new BundleSubscription(engine, "state/#", s -> { })
                     .sendRetained(false).subscribe(declined::add)) {
            DeliveredMessage m = next(received);
            assertEquals("state/door", m.topic());
            assertTrue(m.retain());
            m.complete();
            new BundlePublish(engine, "state/window").publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            DeliveredMessage routed = next(received);
            assertEquals("state/window", routed.topic());
            assertFalse(routed.retain());
            assertEquals("state/window", next(declined).topic(), "sendRetained(false) still gets routed messages");
            routed.complete();
        }
    }

    @Test
    void aConsumerThatDoesNotCompletePausesThePublisherAndLosesNothing() throws Exception {
        int count = 1000;
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        try (InternalSubscription sub = subscribe("load", received);
             RawClient pub = new RawClient(broker.port())) {
            pub.connect("fast", true, 0);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        pub.publish("load", Integer.toString(i), 1, false, i % 65535 + 1);
                    }
                } catch (java.io.IOException e) {
                    // the test fails on the count below
                }
            }, "writer");
            writer.setDaemon(true);
            writer.start();
            EmbeddedBroker.await("the publisher to be paused", () -> engine.stats().publishersPaused() > 0);
            assertTrue(sub.pending() <= 100 / 2 + 1, "pending " + sub.pending());

            for (int i = 0; i < count; i++) {
                DeliveredMessage m = next(received);
                assertEquals(Integer.toString(i), new String(m.payload(), StandardCharsets.UTF_8));
                m.complete(); // from this thread, not the broker's
            }
            assertEquals(0, sub.dropped());
            assertEquals(0, engine.stats().droppedMessages());
        }
    }

    @Test
    void closingEndsDeliveriesAndReleasesWhatWasPending() throws Exception {
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        InternalSubscription sub = subscribe("t", received);
        new BundlePublish(engine, "t").payload(new byte[10]).publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
        DeliveredMessage pending = next(received);
        sub.close();
        sub.close();
        PublishResult after = new BundlePublish(engine, "t").publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(0, after.subscribers());
        EmbeddedBroker.await("the pending message to be released", () -> {
            try {
                pending.payload();
                return false;
            } catch (IllegalStateException released) {
                return true;
            }
        });
        pending.complete(); // too late, harmless
        assertTrue(received.isEmpty());
    }

    @Test
    void aSelectorDecidesWhatTheSubscriptionGetsAndWhetherItCountsAsASubscriber() throws Exception {
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        MessageSelector selector = (topic, retain) -> {
            if (topic.startsWith("boom/")) {
                throw new IllegalStateException("selector bug");
            }
            if (topic.startsWith("wanted/")) {
                return MessageSelector.Selection.DELIVER;
            }
            return retain ? MessageSelector.Selection.OBSERVE : MessageSelector.Selection.SKIP;
        };
        try (InternalSubscription sub = new BundleSubscription(engine, "#", s -> { }).selector(selector)
                .subscribe(received::add);
             RawClient client = new RawClient(broker.port())) {
            client.send(Mqtt5Raw.connect("v5", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, client.read().type);

            client.send(Mqtt5Raw.publish("unwanted/a", "x", 1, false, 1, Mqtt5Raw.props()));
            assertEquals(0x10, pubackReason(client), "a skipped message counts as unmatched");
            client.send(Mqtt5Raw.publish("wanted/a", "x", 1, false, 2, Mqtt5Raw.props()));
            DeliveredMessage wanted = next(received);
            assertEquals("wanted/a", wanted.topic(), "the skipped message reached the consumer");
            wanted.complete();
            assertEquals(0x00, pubackReason(client), "a delivered message counts as matched");

            client.send(Mqtt5Raw.publish("state/a", "x", 1, true, 3, Mqtt5Raw.props()));
            DeliveredMessage observed = next(received);
            assertEquals("state/a", observed.topic());
            observed.complete();
            assertEquals(0x10, pubackReason(client), "an observed message does not count");
            PublishResult result = new BundlePublish(engine, "state/b").payload(new byte[] {1}).retain(true)
                    .publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(0, result.subscribers());
            assertEquals("state/b", next(received).topic());

            client.send(Mqtt5Raw.publish("boom/a", "x", 1, false, 4, Mqtt5Raw.props()));
            DeliveredMessage failed = next(received);
            assertEquals("boom/a", failed.topic(), "a failing selector delivers");
            failed.complete();
            assertEquals(0x00, pubackReason(client));
            received.forEach(DeliveredMessage::complete);
        }
        assertThrows(IllegalArgumentException.class, () -> new BundleSubscription(engine, "$share/g/t", s -> { })
                .selector((topic, retain) -> MessageSelector.Selection.DELIVER).subscribe(m -> { }));
    }

    private static int pubackReason(RawClient client) throws Exception {
        RawClient.Packet puback = client.read();
        assertEquals(RawClient.PUBACK, puback.type);
        return puback.body.length > 2 ? puback.body[2] & 0xFF : 0;
    }

    @Test
    void badArgumentsAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new BundlePublish(engine, "a/+"));
        assertThrows(IllegalArgumentException.class, () -> new BundlePublish(engine, "t").qos(3));
        assertThrows(IllegalArgumentException.class, () -> new BundlePublish(engine, "t").messageExpiryInterval(-1));
        assertThrows(IllegalArgumentException.class, () -> new BundlePublish(engine, "t").responseTopic("r/#"));
        assertThrows(IllegalArgumentException.class, () -> new BundleSubscription(engine, "a/#/b", s -> { }));
        assertThrows(IllegalArgumentException.class, () -> new BundleSubscription(engine, "$share//t", s -> { }));
        BundlePublish once = new BundlePublish(engine, "t");
        once.publish();
        assertThrows(IllegalStateException.class, once::publish);
    }
}
