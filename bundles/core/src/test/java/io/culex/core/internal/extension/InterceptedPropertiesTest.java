package io.culex.core.internal.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.MessageInterceptor;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** API 1.4: an interceptor sees a message's MQTT 5 properties and expiry, and can add user properties. */
@ExtendWith(LeakDetection.class)
class InterceptedPropertiesTest {

    @Test
    void anInterceptorReadsThePropertiesAndAddsAUserPropertyThatSubscribersReceive() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        try (EmbeddedBroker broker = new EmbeddedBroker();
             RawClient sub = new RawClient(broker.port());
             RawClient pub = new RawClient(broker.port())) {
            broker.extensions().interceptors.add(new TestServiceReference<>(), (MessageInterceptor) (publisher, m) -> {
                seen.set(m.properties().contentType() + " " + m.properties().userProperties() + " "
                        + (m.messageExpiryInterval() > 50 && m.messageExpiryInterval() <= 60));
                m.addUserProperty("seen-by", publisher.clientId());
                return MessageInterceptor.Verdict.CONTINUE;
            });
            sub.send(Mqtt5Raw.connect("sub", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, sub.read().type);
            sub.send(Mqtt5Raw.subscribe(1, "t", 0, Mqtt5Raw.props()));
            assertEquals(RawClient.SUBACK, sub.read().type);
            pub.send(Mqtt5Raw.connect("pub", true, 60, Mqtt5Raw.props()));
            assertEquals(RawClient.CONNACK, pub.read().type);
            pub.send(Mqtt5Raw.publish("t", "x", 0, false, 0, Mqtt5Raw.props().intProp(0x02, 60)
                    .stringProp(0x03, "text/plain").userProperty("a", "1")));

            Mqtt5Raw.Publish p = Mqtt5Raw.readPublish(sub);
            assertEquals("text/plain [a=1] true", seen.get());
            assertEquals(List.of("a=1", "seen-by=pub"), p.userProperties);
            assertEquals("text/plain", p.contentType);
            assertTrue(p.messageExpiry != null && p.messageExpiry <= 60, "expiry kept: " + p.messageExpiry);
        }
    }
}
