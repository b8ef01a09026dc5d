package io.culex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;

/** Publish and subscribe through the real engine over TCP with an MQTT 3.1.1 client. */
@ExtendWith(LeakDetection.class)
class PublishSubscribeTest {

    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        broker = new EmbeddedBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void deliversAtEachQos(int qos) throws Exception {
        try (PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("a/b", 2);
            pub.publish("a/b", "hello " + qos, qos, false);
            PahoClient.Received r = sub.next();
            assertEquals("a/b", r.topic);
            assertEquals("hello " + qos, r.text());
            assertEquals(qos, r.message.getQos());
            assertFalse(r.message.isRetained());
        }
    }

    @Test
    void downgradesToSubscriptionQos() throws Exception {
        try (PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("t", 1);
            pub.publish("t", "x", 2, false);
            assertEquals(1, sub.next().message.getQos());
        }
    }

    @Test
    void wildcardsMatchAndDollarTopicsAreExcluded() throws Exception {
        try (PahoClient sub = PahoClient.connect(broker.uri(), "sub");
             PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            sub.subscribe("sensors/+/temp", 1);
            sub.subscribe("#", 1);
            pub.publish("$internal/x", "hidden", 1, false);
            pub.publish("sensors/kitchen/temp", "21", 1, false);
            PahoClient.Received r = sub.next();
            assertEquals("sensors/kitchen/temp", r.topic);
            // overlapping subscriptions: one copy only
            assertNull(sub.poll(300));
        }
    }

    @Test
    void retainedMessageIsStoredReplacedAndCleared() throws Exception {
        try (PahoClient pub = PahoClient.connect(broker.uri(), "pub")) {
            pub.publish("status/door", "open", 1, true);
            pub.publish("status/door", "closed", 1, true);
            try (PahoClient sub = PahoClient.connect(broker.uri(), "sub1")) {
                sub.subscribe("status/#", 1);
                PahoClient.Received r = sub.next();
                assertEquals("closed", r.text());
                assertTrue(r.message.isRetained());
                pub.publish("status/door", "ajar", 0, true);
                PahoClient.Received live = sub.next();
                assertEquals("ajar", live.text());
                assertFalse(live.message.isRetained(), "a live delivery has the retain flag clear");
            }
            pub.publish("status/door", "", 1, true);
            try (PahoClient sub = PahoClient.connect(broker.uri(), "sub2")) {
                sub.subscribe("status/door", 1);
                assertNull(sub.poll(300));
            }
        }
    }
}
