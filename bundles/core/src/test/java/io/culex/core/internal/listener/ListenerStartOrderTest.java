package io.culex.core.internal.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.Extensions;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.WebSocketClient;
import io.culex.core.internal.transport.EventLoops;

/**
 * Issue 14, start-up: with several listeners configured, none accepts a client before all are bound, so a client
 * started at the first open port never finds another one closed. Listeners start one after the other (here with a
 * pause between them that stands for a slow TLS or WebSocket start).
 */
final class ListenerStartOrderTest {

    private static final int NOTHING_MILLIS = 300;

    private Engine engine;
    private final List<MqttListener> started = new ArrayList<>();

    private void engineExpecting(String... listenerKeys) {
        Map<String, Object> broker = new HashMap<>();
        broker.put("allow_anonymous", true);
        broker.put(BrokerSettings.LISTENER_KEYS, listenerKeys);
        engine = new Engine(BrokerSettings.from(broker), new Extensions(), new EventLoops(2));
    }

    private MqttListener start(String key, Map<String, Object> options) {
        MqttListener listener = new MqttListener(settings(key, options), engine);
        listener.start();
        started.add(listener);
        return listener;
    }

    private static ListenerSettings settings(String key, Map<String, Object> options) {
        Map<String, Object> properties = new HashMap<>(options);
        properties.putIfAbsent("port", 0);
        properties.put("bind_address", "127.0.0.1");
        properties.put(ListenerSettings.KEY, key);
        properties.put("culex.source", "test.conf:" + key);
        return ListenerSettings.from(properties);
    }

    @AfterEach
    void stop() {
        started.forEach(MqttListener::stop);
        if (engine != null) {
            engine.shutdown();
        }
    }

    @Test
    void theFirstListenerAcceptsOnlyOnceTheLastIsBound() throws Exception {
        engineExpecting("tcp", "ws");
        MqttListener tcp = start("tcp", Map.of());
        try (RawClient early = new RawClient(tcp.boundPort())) {
            early.send(RawClient.connectPacket("MQTT", 4, "early", true, 60, null, null, 0, false, null, null));
            // the port is open (the kernel queues the connection) but nobody accepts it yet
            assertNull(early.poll(NOTHING_MILLIS), "CONNACK before every listener was bound");

            MqttListener webSocket = start("ws", Map.of("protocol", "websockets"));
            RawClient.Packet connack = early.poll(5_000);
            assertNotNull(connack, "no CONNACK once every listener was bound");
            assertEquals(RawClient.CONNACK, connack.type);
            // the moment the first port answers, the other one does too
            try (WebSocketClient ws = WebSocketClient.connect("ws://127.0.0.1:" + webSocket.boundPort() + "/mqtt",
                    null)) {
                ws.send(RawClient.connectPacket("MQTT", 4, "second", true, 60, null, null, 0, false, null, null));
                assertEquals(RawClient.CONNACK, ws.read().type);
            }
        }
    }

    @Test
    void aListenerThatFailsToBindDoesNotHoldTheOthers() throws Exception {
        engineExpecting("tcp", "broken");
        MqttListener tcp = start("tcp", Map.of());
        int taken = tcp.boundPort();
        MqttListener broken = new MqttListener(settings("broken", Map.of("port", taken)), engine);
        // a listener component reports the failure to the gate, as ListenerComponent does
        assertThrows(IllegalStateException.class, broken::start);
        engine.acceptGate().failed("broken");
        try (RawClient client = new RawClient(tcp.boundPort())) {
            assertEquals(0, client.connect("c", true, 60));
        }
    }

    @Test
    void withoutAListOfListenersEachAcceptsAtOnce() throws Exception {
        engineExpecting();
        MqttListener tcp = start(null, Map.of());
        try (RawClient client = new RawClient(tcp.boundPort())) {
            assertEquals(0, client.connect("c", true, 60));
        }
    }

    @Test
    void aListenerAddedAfterStartUpAcceptsAtOnce() throws Exception {
        engineExpecting("tcp");
        start("tcp", Map.of());
        MqttListener later = start("later", Map.of());
        try (RawClient client = new RawClient(later.boundPort())) {
            assertEquals(0, client.connect("c", true, 60));
        }
    }
}
