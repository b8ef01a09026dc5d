package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled broker with Eclipse Paho's MQTT 5 client: every MQTT 5 feature a client can see, each test
 * failing if the broker lacked the feature.
 */
class Mqtt5PahoIT {

    private static final int MAX_KEEPALIVE = 30;
    private static final int MAX_INFLIGHT = 20;

    private static CulexProcess culex;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        port = CulexProcess.freePort();
        culex = CulexProcess.install();
        Path acl = culex.home().resolve("conf").resolve("mqtt5.acl");
        Files.writeString(acl, "topic readwrite #\ntopic deny secret/#\n");
        Path conf = culex.writeConfig("mqtt5.conf", String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_keepalive " + MAX_KEEPALIVE,
                "max_inflight_messages " + MAX_INFLIGHT,
                "acl_file " + acl,
                ""));
        culex.startAndAwait(conf, port);
    }

    @AfterAll
    static void stop() throws Exception {
        culex.close();
    }

    private static MqttMessage message(String payload, int qos, MqttProperties properties) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setProperties(properties);
        return m;
    }

    private static MqttConnectionOptions persistent(long sessionExpirySeconds) {
        MqttConnectionOptions o = Paho5Client.options();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(sessionExpirySeconds);
        return o;
    }

    @Test
    void sessionExpiryKeepsTheSessionAndDisconnectCanEndIt() throws Exception {
        try (Paho5Client sub = Paho5Client.connect(port, "expiring", persistent(60))) {
            sub.subscribe("expiry/topic", 1);
            sub.disconnect(new MqttProperties());
        }
        try (Paho5Client pub = Paho5Client.connect(port, "expiry-pub")) {
            pub.publish("expiry/topic", "queued", 1, false);
        }
        try (Paho5Client sub = Paho5Client.connect(port, "expiring", persistent(60))) {
            assertTrue(sub.sessionPresent(), "the session outlived the connection");
            assertEquals("queued", sub.next().payload());
            MqttProperties shorten = new MqttProperties();
            shorten.setSessionExpiryInterval(0L);
            sub.disconnect(shorten);
        }
        try (Paho5Client sub = Paho5Client.connect(port, "expiring", persistent(60))) {
            assertFalse(sub.sessionPresent(), "DISCONNECT with session expiry 0 ended the session");
        }
    }

    @Test
    void receiveMaximumBoundsUnacknowledgedMessages() throws Exception {
        MqttConnectionOptions small = Paho5Client.options();
        small.setReceiveMaximum(2);
        try (Paho5Client sub = Paho5Client.create(port, "slow-reader", true).connect(small);
             Paho5Client pub = Paho5Client.connect(port, "fast-writer")) {
            assertEquals(MAX_INFLIGHT, sub.connack().getReceiveMaximum(), "the broker's receive maximum");
            sub.subscribe("window", 1);
            for (int i = 0; i < 3; i++) {
                pub.publish("window", "m" + i, 1, false);
            }
            Paho5Client.Received first = sub.next();
            assertEquals("m1", sub.next().payload());
            assertNull(sub.poll(500), "a third unacknowledged message would exceed the client's receive maximum");
            sub.ack(first);
            assertEquals("m2", sub.next().payload());
        }
    }

    @Test
    void emptyClientIdIsAssignedAndKeepAliveIsCapped() throws Exception {
        MqttConnectionOptions o = Paho5Client.options();
        o.setKeepAliveInterval(MAX_KEEPALIVE * 4);
        try (Paho5Client c = Paho5Client.connect(port, "", o)) {
            String assigned = c.connack().getAssignedClientIdentifier();
            assertNotNull(assigned, "assigned client identifier");
            assertTrue(assigned.startsWith("auto-"), assigned);
            assertEquals(MAX_KEEPALIVE, c.connack().getServerKeepAlive(), "server keep alive = max_keepalive");
        }
    }

    @Test
    void topicAliasesFromPahoReachSubscribersAsTopics() throws Exception {
        try (Paho5Client sub = Paho5Client.connect(port, "alias-sub");
             Paho5Client pub = Paho5Client.connect(port, "alias-pub")) {
            Integer maximum = pub.connack().getTopicAliasMaximum();
            assertTrue(maximum != null && maximum > 0, "the broker accepts topic aliases: " + maximum);
            String topic = "a/rather/long/topic/name/worth/an/alias";
            sub.subscribe(topic, 0);
            // Paho sends the topic with a new alias first, then only the alias with an empty topic
            pub.publish(topic, "first", 0, false);
            pub.publish(topic, "second", 0, false);
            Paho5Client.Received first = sub.next();
            Paho5Client.Received second = sub.next();
            assertEquals(List.of(topic + " first", topic + " second"),
                    List.of(first.topic + " " + first.payload(), second.topic + " " + second.payload()));
        }
    }

    @Test
    void messageExpiryDropsOldRetainedMessagesAndCountsDown() throws Exception {
        try (Paho5Client pub = Paho5Client.connect(port, "expiry-publisher")) {
            MqttProperties brief = new MqttProperties();
            brief.setMessageExpiryInterval(1L);
            MqttProperties lasting = new MqttProperties();
            lasting.setMessageExpiryInterval(100L);
            MqttMessage shortLived = message("short", 1, brief);
            shortLived.setRetained(true);
            MqttMessage longLived = message("long", 1, lasting);
            longLived.setRetained(true);
            pub.publish("msgexpiry/short", shortLived);
            pub.publish("msgexpiry/long", longLived);
            Thread.sleep(2100); // the scenario: a subscriber that comes after the first message expired
            try (Paho5Client sub = Paho5Client.connect(port, "expiry-late")) {
                sub.subscribe("msgexpiry/#", 1);
                Paho5Client.Received kept = sub.next();
                assertEquals("long", kept.payload());
                Long remaining = kept.properties().getMessageExpiryInterval();
                assertTrue(remaining != null && remaining < 100 && remaining >= 90, "remaining expiry " + remaining);
                assertNull(sub.poll(300), "the expired retained message is not delivered");
            }
        }
    }

    @Test
    void requestResponseWithForwardedProperties() throws Exception {
        try (Paho5Client responder = Paho5Client.connect(port, "responder");
             Paho5Client requester = Paho5Client.connect(port, "requester")) {
            responder.subscribe("service/echo", 1);
            requester.subscribe("replies/requester", 1);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic("replies/requester");
            p.setCorrelationData("req-42".getBytes(StandardCharsets.UTF_8));
            p.setContentType("application/json");
            p.setPayloadFormat(true);
            p.setUserProperties(List.of(new UserProperty("z", "1"), new UserProperty("a", "2"),
                    new UserProperty("z", "3")));
            requester.publish("service/echo", message("{\"q\":1}", 1, p));

            Paho5Client.Received request = responder.next();
            MqttProperties rp = request.properties();
            assertEquals("application/json", rp.getContentType());
            assertTrue(rp.getPayloadFormat(), "payload format indicator");
            assertEquals(List.of("z=1", "a=2", "z=3"), rp.getUserProperties().stream()
                    .map(u -> u.getKey() + "=" + u.getValue()).collect(Collectors.toList()), "order kept");
            MqttProperties answer = new MqttProperties();
            answer.setCorrelationData(rp.getCorrelationData());
            responder.publish(rp.getResponseTopic(), message("{\"a\":1}", 1, answer));

            Paho5Client.Received response = requester.next();
            assertEquals("{\"a\":1}", response.payload());
            assertArrayEquals("req-42".getBytes(StandardCharsets.UTF_8), response.properties().getCorrelationData());
        }
    }

    @Test
    void invalidUtf8WithPayloadFormatIndicatorIsRefused() throws Exception {
        try (Paho5Client sub = Paho5Client.connect(port, "pfi-sub");
             Paho5Client pub = Paho5Client.connect(port, "pfi-pub")) {
            sub.subscribe("pfi", 1);
            MqttProperties utf8 = new MqttProperties();
            utf8.setPayloadFormat(true);
            MqttMessage bad = new MqttMessage(new byte[] {'a', (byte) 0xC3});
            bad.setQos(1);
            bad.setProperties(utf8);
            assertArrayEquals(new int[] {0x99}, pub.publish("pfi", bad), "PUBACK payload format invalid");
            assertNull(sub.poll(300));
        }
    }

    @Test
    void noLocalRetainAsPublishedAndRetainHandling() throws Exception {
        try (Paho5Client self = Paho5Client.connect(port, "options-self");
             Paho5Client other = Paho5Client.connect(port, "options-other")) {
            other.publish("opts/r", "stored", 1, true);
            MqttSubscription noLocal = new MqttSubscription("opts/#", 1);
            noLocal.setNoLocal(true);
            noLocal.setRetainAsPublished(true);
            noLocal.setRetainHandling(2);
            self.subscribe(noLocal);
            self.publish("opts/r", "mine", 1, true);
            other.publish("opts/r", "theirs", 1, true);
            Paho5Client.Received received = self.next();
            assertEquals("theirs", received.payload(), "no local: own message and (retain handling 2) no "
                    + "retained message on subscribe");
            assertTrue(received.message.isRetained(), "retain as published");

            try (Paho5Client plain = Paho5Client.connect(port, "options-plain")) {
                MqttSubscription onlyNew = new MqttSubscription("opts/#", 1);
                onlyNew.setRetainHandling(1);
                plain.subscribe(onlyNew);
                assertTrue(plain.next().message.isRetained(), "retained message on a new subscription");
                plain.subscribe(onlyNew);
                assertNull(plain.poll(300), "retain handling 1: none when the subscription existed");
                other.publish("opts/r", "live", 1, true);
                Paho5Client.Received live = plain.next();
                assertEquals("live", live.payload());
                assertFalse(live.message.isRetained(), "without retain as published live messages are not retained");
            }
            other.publish("opts/r", "", 1, true); // clear the retained message for other tests
        }
    }

    @Test
    void subscriptionIdentifiersComeWithMessages() throws Exception {
        try (Paho5Client sub = Paho5Client.connect(port, "subid-sub");
             Paho5Client pub = Paho5Client.connect(port, "subid-pub")) {
            MqttProperties first = new MqttProperties();
            first.setSubscriptionIdentifier(7);
            sub.subscribe(new MqttSubscription("subid/+", 1), first);
            MqttProperties second = new MqttProperties();
            second.setSubscriptionIdentifier(300);
            sub.subscribe(new MqttSubscription("subid/#", 1), second);
            pub.publish("subid/x", "both", 1, false);
            List<Integer> ids = sub.next().properties().getSubscriptionIdentifiers();
            assertEquals(List.of(7, 300), ids.stream().sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void reasonCodesOnPubackAndSuback() throws Exception {
        try (Paho5Client c = Paho5Client.connect(port, "reasons")) {
            assertArrayEquals(new int[] {0x10}, c.publish("nobody/listens/here", "x", 1, false),
                    "PUBACK no matching subscribers");
            assertArrayEquals(new int[] {0x87}, c.subscribe("secret/#", 1), "SUBACK not authorized (acl_file)");
            assertArrayEquals(new int[] {1}, c.subscribe("open/#", 1), "SUBACK granted QoS 1");
        }
    }

    @Test
    void takeoverDisconnectsTheOlderConnectionWithSessionTakenOver() throws Exception {
        try (Paho5Client first = Paho5Client.connect(port, "twin");
             Paho5Client second = Paho5Client.connect(port, "twin")) {
            MqttDisconnectResponse response = first.awaitDisconnected();
            assertEquals(0x8E, response.getReturnCode(), "session taken over: " + response);
        }
    }

    @Test
    void willDelayWaitsAndAReconnectCancelsTheWill() throws Exception {
        try (Paho5Client watcher = Paho5Client.connect(port, "will-watcher")) {
            watcher.subscribe("wills/#", 1);
            Paho5Client leaving = Paho5Client.connect(port, "will-delayed", withWill("wills/delayed", 2));
            leaving.drop();
            assertNull(watcher.poll(1000), "the will waits for its delay");
            assertEquals("wills/delayed", watcher.next().topic);
            leaving.close();

            Paho5Client returning = Paho5Client.connect(port, "will-returning", withWill("wills/returning", 2));
            returning.drop();
            returning.close();
            try (Paho5Client back = Paho5Client.connect(port, "will-returning", persistent(60))) {
                assertNull(watcher.poll(3000), "a reconnect within the will delay cancels the will");
            }
        }
    }

    private static MqttConnectionOptions withWill(String topic, long delaySeconds) {
        MqttConnectionOptions o = persistent(60);
        MqttMessage will = new MqttMessage("gone".getBytes(StandardCharsets.UTF_8));
        will.setQos(1);
        o.setWill(topic, will);
        MqttProperties p = new MqttProperties();
        p.setWillDelayInterval(delaySeconds);
        o.setWillMessageProperties(p);
        return o;
    }
}
