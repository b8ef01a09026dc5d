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
}
