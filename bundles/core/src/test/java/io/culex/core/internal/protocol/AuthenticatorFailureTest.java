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
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** Plugins that misbehave count as DENY (fail closed) and cost nobody else anything. */
@ExtendWith(LeakDetection.class)
class AuthenticatorFailureTest {

    @Test
    void anAuthenticatorThatNeverAnswersIsDeniedAfterTheTimeBudget() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true,
                "culex.authentication_timeout_ms", 300))) {
            broker.extensions().authenticators.add(new TestServiceReference<>(),
                    (Authenticator) request -> new CompletableFuture<>());
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(5, c.connect("waiting", true, 60));
            }
        }
    }

    @Test
    void throwingOrFailingAuthenticatorsDeny() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            broker.extensions().authenticators.add(new TestServiceReference<>(), (Authenticator) request -> {
                throw new IllegalStateException("broken plugin");
            });
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(5, c.connect("thrown", true, 60));
            }
        }
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            broker.extensions().authenticators.add(new TestServiceReference<>(),
                    (Authenticator) request -> CompletableFuture.failedFuture(new IllegalStateException("no")));
            try (RawClient c = new RawClient(broker.port())) {
                assertEquals(5, c.connect("failed", true, 60));
            }
        }
    }

    @Test
    void aThrowingAuthorizerDeniesThatCheckOnly() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true))) {
            broker.extensions().authorizers.add(new TestServiceReference<>(), (Authorizer)
                    (client, access, topic, qos, retain) -> {
                        if (topic.startsWith("boom")) {
                            throw new IllegalStateException("broken plugin");
                        }
                        return Decision.ALLOW;
                    });
            try (RawClient sub = new RawClient(broker.port()); RawClient pub = new RawClient(broker.port())) {
                assertEquals(0, sub.connect("sub", true, 60));
                sub.subscribe(1, "#", 0);
                assertEquals(0, pub.connect("pub", true, 60));
                pub.publish("boom/x", "denied", 0, false, 0);
                pub.publish("fine/x", "allowed", 0, false, 0);
                assertEquals("allowed", sub.read().payloadText(), "the broken check denied, the next one passed");
            }
        }
    }
}
