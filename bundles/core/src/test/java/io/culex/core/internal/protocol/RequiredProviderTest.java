package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Authenticator;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** Fail closed: a CONNECT waits briefly for a required security provider, then is refused. */
@ExtendWith(LeakDetection.class)
class RequiredProviderTest {

    private static final Map<String, Object> REQUIRES_DYNSEC =
            Map.of("allow_anonymous", true, "required_providers", new String[] {"dynamic-security"});

    @Test
    void aClientIsRefusedWhileTheRequiredProviderIsMissing() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(REQUIRES_DYNSEC);
             RawClient client = new RawClient(broker.port())) {
            assertEquals(3, client.connect("c", true, 60), "server unavailable, although anonymous is allowed");
        }
    }

    @Test
    void aProviderThatAppearsWhileTheClientWaitsDecides() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(REQUIRES_DYNSEC);
             RawClient client = new RawClient(broker.port())) {
            client.send(RawClient.connectPacket("MQTT", 4, "c", true, 60, null, null, 0, false, null, null));
            assertNull(client.poll(300), "the CONNECT is held while the required provider is missing");
            // registering the provider now (the broker's first second, a bundle update) lets the client in
            Authenticator provider = request -> CompletableFuture.completedFuture(Decision.ALLOW);
            broker.extensions().authenticators.add(
                    new TestServiceReference<>(Map.of("culex.provider", "dynamic-security")), provider);
            RawClient.Packet connack = client.read();
            assertEquals(RawClient.CONNACK, connack.type);
            assertEquals(0, connack.body[1] & 0xFF);
        }
    }
}
