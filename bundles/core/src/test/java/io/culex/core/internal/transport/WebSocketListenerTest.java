package io.culex.core.internal.transport;

import io.culex.core.internal.listener.MqttListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestCertificates;
import io.culex.core.internal.testing.WebSocketClient;

/** {@code protocol websockets}, plain and with TLS, with the JDK's WebSocket client. */
@ExtendWith(LeakDetection.class)
class WebSocketListenerTest {

    private static final Map<String, Object> WEBSOCKETS = Map.of("protocol", "websockets");
    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create();
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        try (var files = Files.walk(certs.dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] connect(String clientId) {
        return RawClient.connectPacket("MQTT", 4, clientId, true, 60, null, null, 0, false, null, null);
    }

    private static byte[] subscribe(String filter) {
        byte[] topic = filter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[2 + 2 + topic.length + 1];
        body[1] = 1;
        body[3] = (byte) topic.length;
        System.arraycopy(topic, 0, body, 4, topic.length);
        body[body.length - 1] = 1;
        return RawClient.packet(0x82, body);
    }

    @Test
    void messagesFlowBothWays() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), WEBSOCKETS);
             WebSocketClient ws = WebSocketClient.connect("ws://127.0.0.1:" + broker.port() + "/mqtt", null)) {
            assertEquals("mqtt", ws.subprotocol());
            ws.send(connect("ws-client"));
            RawClient.Packet connack = ws.read();
            assertEquals(RawClient.CONNACK, connack.type);
            assertEquals(0, connack.body[1]);
            ws.send(subscribe("to/ws"));
            assertEquals(RawClient.SUBACK, ws.read().type);

            try (RawClient tcp = new RawClient(startTcpListener(broker))) {
                assertEquals(0, tcp.connect("tcp-client", true, 60));
                tcp.subscribe(1, "from/ws", 0);
                tcp.publish("to/ws", "hello websocket", 1, false, 7);
                RawClient.Packet delivered = ws.read();
                assertEquals(RawClient.PUBLISH, delivered.type);
                assertEquals("hello websocket", delivered.payloadText());
                ws.send(RawClient.publishPacket("from/ws", "hello tcp".getBytes(), 0, false, false, 0));
                RawClient.Packet got = readPublish(tcp);
                assertEquals("from/ws", got.topic());
                assertEquals("hello tcp", got.payloadText());
            }
        }
    }

    /** The broker's single listener is the WebSocket one; a second, plain one lets a TCP client in. */
    private static int startTcpListener(EmbeddedBroker broker) {
        MqttListener tcp = new MqttListener(ListenerSettings.from(Map.of("port", 0, "bind_address", "127.0.0.1")),
                broker.engine());
        tcp.start();
        return tcp.boundPort();
    }

    private static RawClient.Packet readPublish(RawClient client) throws IOException {
        while (true) {
            RawClient.Packet p = client.read();
            if (p.type == RawClient.PUBLISH) {
                return p;
            }
        }
    }

    @Test
    void anyPathOtherSubprotocolsAndPacketsSplitAcrossFrames() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), WEBSOCKETS)) {
            for (String subprotocol : new String[] {"mqttv3.1", "mqttv3"}) {
                try (WebSocketClient ws = WebSocketClient.connect("ws://127.0.0.1:" + broker.port() + "/", null,
                        subprotocol)) {
                    assertEquals(subprotocol, ws.subprotocol());
                    byte[] connect = connect("split-" + subprotocol);
                    ws.sendInTwoFrames(connect, 5); // a binary frame and a continuation frame
                    assertEquals(0, ws.read().body[1]);
                    ws.ping();
                }
            }
        }
    }

    @Test
    void textFramesCloseTheConnection() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), WEBSOCKETS);
             WebSocketClient ws = WebSocketClient.connect("ws://127.0.0.1:" + broker.port() + "/any/path", null)) {
            ws.sendText("MQTT please");
            assertTrue(ws.awaitClosed());
        }
    }

    @Test
    void secureWebSockets() throws Exception {
        Map<String, Object> options = new HashMap<>(WEBSOCKETS);
        options.put("certfile", certs.path("server.crt"));
        options.put("keyfile", certs.path("server.key"));
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), options);
             WebSocketClient ws = WebSocketClient.connect("wss://127.0.0.1:" + broker.port() + "/mqtt",
                     certs.clientContext("ca", null))) {
            ws.send(connect("wss-client"));
            assertEquals(0, ws.read().body[1]);
            ws.send(subscribe("secure"));
            assertEquals(RawClient.SUBACK, ws.read().type);
            ws.send(RawClient.publishPacket("secure", "loop".getBytes(), 0, false, false, 0));
            assertEquals("loop", ws.read().payloadText());
        }
    }
}
