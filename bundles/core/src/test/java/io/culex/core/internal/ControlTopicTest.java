package io.culex.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.ControlHandler;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.PahoClient;
import io.culex.core.internal.testing.TestServiceReference;

/** {@code $CONTROL/<name>/v1}: requests go to the owning ControlHandler, its responses reach subscribers. */
@ExtendWith(LeakDetection.class)
class ControlTopicTest {

    @Test
    void aRequestIsAnsweredOnTheResponseTopicAndClientsCannotForgeResponses() throws Exception {
        LinkedBlockingQueue<String> callers = new LinkedBlockingQueue<>();
        ControlHandler echo = (client, payload) -> {
            callers.add(client == null ? "broker" : client.clientId());
            return CompletableFuture.completedFuture(
                    ("echo:" + new String(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        };
        try (EmbeddedBroker broker = new EmbeddedBroker()) {
            broker.extensions().controlHandlers.add(
                    new TestServiceReference<>(Map.of(ControlHandler.CONTROL_NAME, "echo")), echo);
            try (PahoClient watcher = PahoClient.connect(broker.uri(), "watcher");
                 PahoClient admin = PahoClient.connect(broker.uri(), "admin")) {
                watcher.subscribe("$CONTROL/#", 1);

                // Not routed: a client's message to a response topic or to a topic nobody owns
                admin.publish("$CONTROL/echo/v1/response", "forged", 1, false);
                admin.publish("$CONTROL/nobody/v1", "lost", 1, false);
                admin.publish("$CONTROL/echo/v1", "ping", 1, false);

                PahoClient.Received response = watcher.next();
                assertEquals("$CONTROL/echo/v1/response", response.topic);
                assertEquals("echo:ping", response.text(), "the first message seen is the handler's answer");
                assertEquals("admin", callers.poll(10, TimeUnit.SECONDS));
                assertEquals(0, callers.size(), "the request itself is not delivered anywhere else");
            }
        }
    }
}
