package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Access;
import io.culex.api.AccessDecision;
import io.culex.api.AuthenticationRequest;
import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * API 1.5: an extension's denial carries an MQTT 5 reason code and string to the client, where the answering
 * packet can carry it, and MQTT 3.x clients get what their protocol can say.
 */
@ExtendWith(LeakDetection.class)
class AccessDecisionReasonTest {

    private static final int REASON_STRING = 0x1F;

    /** Denies publishing to quota/# (0x97), subscribing to shared/# (0x9E), and to bad/# with a code no ack allows. */
    private static final class ReasoningAuthorizer implements Authorizer {
        @Override
        public Decision authorize(ClientInfo client, Access access, String topic, int qos, boolean retain) {
            return check(client, access, topic, qos, retain).decision();
        }

        @Override
        public AccessDecision check(ClientInfo client, Access access, String topic, int qos, boolean retain) {
            if (access == Access.PUBLISH && topic.startsWith("quota/")) {
                return AccessDecision.deny(0x97, "daily quota used up");
            }
            if (access == Access.SUBSCRIBE && topic.startsWith("shared/")) {
                return AccessDecision.deny(0x9E, "no sharing here");
            }
            if (topic.startsWith("bad/")) {
                return AccessDecision.deny(0x8E, "session taken over is no PUBACK code");
            }
            return AccessDecision.ALLOW;
        }
    }

    /** Denies user "banned" with 0x8A and user "wrong" with 0x86. */
    private static final class ReasoningAuthenticator implements Authenticator {
        @Override
        public CompletionStage<Decision> authenticate(AuthenticationRequest request) {
            return check(request).thenApply(AccessDecision::decision);
        }

        @Override
        public CompletionStage<AccessDecision> check(AuthenticationRequest request) {
            if ("banned".equals(request.username())) {
                return CompletableFuture.completedFuture(AccessDecision.deny(0x8A, "banned until tomorrow"));
            }
            if ("wrong".equals(request.username())) {
                return CompletableFuture.completedFuture(AccessDecision.deny(0x86, null));
            }
            return CompletableFuture.completedFuture(AccessDecision.ALLOW);
        }
    }

    private static EmbeddedBroker broker() {
        EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", true));
        broker.extensions().authorizers.add(new TestServiceReference<>(), new ReasoningAuthorizer());
        broker.extensions().authenticators.add(new TestServiceReference<>(), new ReasoningAuthenticator());
        return broker;
    }

    private static RawClient v5(EmbeddedBroker broker, String clientId, Mqtt5Raw.Props props) throws Exception {
        RawClient client = new RawClient(broker.port());
        client.send(Mqtt5Raw.connect(clientId, true, 60, props));
        RawClient.Packet connack = client.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "accepted");
        return client;
    }

    @Test
    void aDeniedPublishCarriesTheExtensionsReasonCodeAndString() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient client = v5(broker, "pub", Mqtt5Raw.props())) {
            client.send(Mqtt5Raw.publish("quota/a", "x", 1, false, 1, Mqtt5Raw.props()));
            RawClient.Packet puback = client.read();
            assertEquals(RawClient.PUBACK, puback.type);
            assertEquals(0x97, puback.body[2] & 0xFF);
            assertEquals("daily quota used up", Mqtt5Raw.propertiesAt(puback, 3).get(REASON_STRING));

            client.send(Mqtt5Raw.publish("bad/a", "x", 1, false, 2, Mqtt5Raw.props()));
            RawClient.Packet invalid = client.read();
            assertEquals(0x87, invalid.body[2] & 0xFF, "a code PUBACK cannot carry becomes 'not authorized'");
        }
    }

    @Test
    void aClientThatTurnedOffProblemInformationGetsTheCodeWithoutTheString() throws Exception {
        try (EmbeddedBroker broker = broker();
             RawClient client = v5(broker, "quiet", Mqtt5Raw.props().byteProp(0x17, 0))) {
            client.send(Mqtt5Raw.publish("quota/a", "x", 1, false, 1, Mqtt5Raw.props()));
            RawClient.Packet puback = client.read();
            assertEquals(0x97, puback.body[2] & 0xFF);
            assertFalse(Mqtt5Raw.propertiesAt(puback, 3).containsKey(REASON_STRING));
        }
    }

    @Test
    void aDeniedSubscriptionCarriesTheReasonInSuback() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient client = v5(broker, "sub", Mqtt5Raw.props())) {
            client.send(Mqtt5Raw.subscribe(5, "shared/x", 1, Mqtt5Raw.props()));
            RawClient.Packet suback = client.read();
            assertEquals(RawClient.SUBACK, suback.type);
            assertEquals("no sharing here", Mqtt5Raw.propertiesAt(suback, 2).get(REASON_STRING));
            assertEquals(0x9E, suback.body[suback.body.length - 1] & 0xFF);
        }
        try (EmbeddedBroker broker = broker(); RawClient v3 = new RawClient(broker.port())) {
            assertEquals(0, v3.connect("sub3", true, 60));
            v3.send(RawClient.packet(0x82, new byte[] {0, 6, 0, 8, 's', 'h', 'a', 'r', 'e', 'd', '/', 'x', 1}));
            RawClient.Packet suback = v3.read();
            assertEquals(0x80, suback.body[2] & 0xFF, "MQTT 3.1.1 has one failure code");
        }
    }

    @Test
    void aDeniedConnectCarriesTheReasonInConnackAndMapsForMqtt3() throws Exception {
        try (EmbeddedBroker broker = broker(); RawClient client = new RawClient(broker.port())) {
            client.send(Mqtt5Raw.connectWithCredentials("c1", "banned", "pw", Mqtt5Raw.props()));
            RawClient.Packet connack = client.read();
            assertEquals(0x8A, connack.body[1] & 0xFF, "banned");
            assertEquals("banned until tomorrow", Mqtt5Raw.connackProperties(connack).get(REASON_STRING));
            assertTrue(client.awaitClosed());
        }
        try (EmbeddedBroker broker = broker(); RawClient v3 = new RawClient(broker.port())) {
            v3.send(RawClient.connectPacket("MQTT", 4, "c2", true, 60, null, null, 0, false, "wrong", "pw"));
            assertEquals(4, v3.read().body[1], "0x86 is MQTT 3's 'bad user name or password'");
        }
        try (EmbeddedBroker broker = broker(); RawClient v3 = new RawClient(broker.port())) {
            v3.send(RawClient.connectPacket("MQTT", 4, "c3", true, 60, null, null, 0, false, "banned", "pw"));
            assertEquals(5, v3.read().body[1], "other denials are MQTT 3's 'not authorized'");
        }
    }
}
