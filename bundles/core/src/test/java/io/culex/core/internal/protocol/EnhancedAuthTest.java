package io.culex.core.internal.protocol;

import static io.culex.core.internal.testing.Mqtt5Raw.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Authenticator;
import io.culex.api.Decision;
import io.culex.api.EnhancedAuthResult;
import io.culex.api.EnhancedAuthenticationRequest;
import io.culex.api.EnhancedAuthenticator;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.Mqtt5Raw;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/** MQTT 5 enhanced authentication and re-authentication (AUTH packets) through {@link EnhancedAuthenticator}s. */
@ExtendWith(LeakDetection.class)
class EnhancedAuthTest {

    private static final int AUTH = 15;
    private static final int DISCONNECT = 14;
    private static final String METHOD = "CHALLENGE";

    private EmbeddedBroker broker;

    private EmbeddedBroker start(long authenticationTimeoutMillis) {
        broker = new EmbeddedBroker(Map.of("culex.authentication_timeout_ms", authenticationTimeoutMillis));
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void register(String method, EnhancedAuthenticator service) {
        broker.extensions().enhancedAuthenticators.add(
                new TestServiceReference<>(Map.of(EnhancedAuthenticator.METHOD_PROPERTY, method)), service);
    }

    /**
     * A challenge-response scheme: start expects "hello", answers "challenge-N" and keeps N as exchange state;
     * proceed expects "response-N" and answers "welcome". Records every request.
     */
    private static final class ChallengeResponse implements EnhancedAuthenticator {
        final List<EnhancedAuthenticationRequest> requests = new CopyOnWriteArrayList<>();
        private int nonce;

        @Override
        public CompletionStage<EnhancedAuthResult> start(EnhancedAuthenticationRequest request) {
            requests.add(request);
            if (!"hello".equals(text(request.authenticationData()))) {
                return CompletableFuture.completedFuture(EnhancedAuthResult.deny());
            }
            int n = ++nonce;
            return CompletableFuture.completedFuture(EnhancedAuthResult.continueWith(bytes("challenge-" + n), n));
        }

        @Override
        public CompletionStage<EnhancedAuthResult> proceed(EnhancedAuthenticationRequest request) {
            requests.add(request);
            boolean right = ("response-" + request.exchangeState()).equals(text(request.authenticationData()));
            return CompletableFuture.completedFuture(right ? EnhancedAuthResult.success(bytes("welcome"))
                    : EnhancedAuthResult.deny());
        }
    }

    /** Answers start with one fixed stage. */
    private static EnhancedAuthenticator starting(CompletionStage<EnhancedAuthResult> answer) {
        return new EnhancedAuthenticator() {
            @Override
            public CompletionStage<EnhancedAuthResult> start(EnhancedAuthenticationRequest request) {
                return answer;
            }

            @Override
            public CompletionStage<EnhancedAuthResult> proceed(EnhancedAuthenticationRequest request) {
                return CompletableFuture.completedFuture(EnhancedAuthResult.deny());
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private RawClient connectWith(String clientId, String method, String data) throws Exception {
        RawClient c = new RawClient(broker.port());
        c.send(Mqtt5Raw.connect(clientId, true, 60, props().authentication(method, data)));
        return c;
    }

    private static void assertConnackRefused(RawClient c, int reasonCode) throws Exception {
        RawClient.Packet connack = c.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(reasonCode, connack.body[1] & 0xFF, "CONNACK reason code");
        assertTrue(c.awaitClosed());
    }

    /** Complete the challenge-response exchange and return the CONNACK's properties. */
    private static Map<Integer, Object> completeChallenge(RawClient c, String expectedChallenge) throws Exception {
        RawClient.Packet challenge = c.read();
        assertEquals(AUTH, challenge.type);
        assertEquals(0x18, challenge.body[0] & 0xFF, "continue authentication");
        Map<Integer, Object> p = Mqtt5Raw.authProperties(challenge);
        assertEquals(METHOD, p.get(0x15));
        assertEquals(expectedChallenge, p.get(0x16));
        String nonce = expectedChallenge.substring("challenge-".length());
        c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-" + nonce)));
        RawClient.Packet connack = c.read();
        assertEquals(RawClient.CONNACK, connack.type);
        assertEquals(0, connack.body[1], "CONNACK reason code");
        return Mqtt5Raw.connackProperties(connack);
    }

    @Test
    void methodWithoutServiceIsABadAuthenticationMethod() throws Exception {
        start(10_000);
        register("OTHER", new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertConnackRefused(c, 0x8C);
        }
    }

    @Test
    void everyServiceDeferringIsABadAuthenticationMethod() throws Exception {
        start(10_000);
        register(METHOD, starting(CompletableFuture.completedFuture(EnhancedAuthResult.defer())));
        register(METHOD, starting(CompletableFuture.completedFuture(EnhancedAuthResult.defer())));
        try (RawClient c = connectWith("c", METHOD, null)) {
            assertConnackRefused(c, 0x8C);
        }
    }

    @Test
    void challengeAndResponseLeadToConnackWithMethodAndData() throws Exception {
        start(10_000);
        register(METHOD, starting(CompletableFuture.completedFuture(EnhancedAuthResult.defer())));
        ChallengeResponse service = new ChallengeResponse();
        register(METHOD, service);
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            Map<Integer, Object> connack = completeChallenge(c, "challenge-1");
            assertEquals(METHOD, connack.get(0x15), "authentication method in CONNACK");
            assertEquals("welcome", connack.get(0x16), "authentication data in CONNACK");
            c.send(Mqtt5Raw.subscribe(1, "t", 0, props()));
            assertEquals(RawClient.SUBACK, c.read().type, "the client is connected");
        }
        EnhancedAuthenticationRequest proceed = service.requests.get(1);
        assertEquals(1, proceed.exchangeState());
        assertEquals("c", proceed.clientId());
        assertFalse(proceed.isReauthentication());
    }

    @Test
    void successSkipsTheBasicAuthenticatorsAndDenyRefuses() throws Exception {
        start(10_000);
        Authenticator denyAll = request -> CompletableFuture.completedFuture(Decision.DENY);
        broker.extensions().authenticators.add(new TestServiceReference<>(), denyAll);
        register(METHOD, new EnhancedAuthenticator() {
            @Override
            public CompletionStage<EnhancedAuthResult> start(EnhancedAuthenticationRequest request) {
                boolean known = "alice".equals(request.username())
                        && "secret".equals(text(request.password()));
                return CompletableFuture.completedFuture(known ? EnhancedAuthResult.success()
                        : EnhancedAuthResult.deny());
            }

            @Override
            public CompletionStage<EnhancedAuthResult> proceed(EnhancedAuthenticationRequest request) {
                throw new AssertionError("never continued");
            }
        });
        try (RawClient alice = new RawClient(broker.port())) {
            alice.send(Mqtt5Raw.connectWithCredentials("alice", "alice", "secret", props().authentication(METHOD,
                    null)));
            RawClient.Packet connack = alice.read();
            assertEquals(0, connack.body[1], "enhanced SUCCESS: the denying basic authenticator is not asked");
            Map<Integer, Object> p = Mqtt5Raw.connackProperties(connack);
            assertEquals(METHOD, p.get(0x15));
            assertNull(p.get(0x16), "no data when the service gave none");
        }
        try (RawClient mallory = new RawClient(broker.port())) {
            mallory.send(Mqtt5Raw.connectWithCredentials("mallory", "alice", "guess", props().authentication(METHOD,
                    null)));
            assertConnackRefused(mallory, 0x87);
        }
    }

    @Test
    void wrongResponseIsNotAuthorized() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertEquals(AUTH, c.read().type);
            c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-99")));
            assertConnackRefused(c, 0x87);
        }
    }

    @Test
    void slowAnswerFromAnotherThreadIsAwaited() throws Exception {
        start(10_000);
        CompletableFuture<EnhancedAuthResult> later = new CompletableFuture<>();
        register(METHOD, starting(later));
        try (RawClient c = connectWith("c", METHOD, null)) {
            assertNull(c.poll(200), "nothing before the service answers");
            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
                    .execute(() -> later.complete(EnhancedAuthResult.success(bytes("late"))));
            RawClient.Packet connack = c.read();
            assertEquals(0, connack.body[1]);
            assertEquals("late", Mqtt5Raw.connackProperties(connack).get(0x16));
        }
    }

    @Test
    void serviceThatNeverAnswersIsDeniedWithinTheBudget() throws Exception {
        start(300);
        register(METHOD, starting(new CompletableFuture<>()));
        try (RawClient c = connectWith("c", METHOD, null)) {
            assertConnackRefused(c, 0x87);
        }
    }

    @Test
    void clientThatNeverRepliesIsDeniedWithinTheBudget() throws Exception {
        start(300);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertEquals(AUTH, c.read().type);
            assertConnackRefused(c, 0x87);
        }
    }

    @Test
    void throwingOrFailingServiceIsDenied() throws Exception {
        start(10_000);
        register(METHOD, new EnhancedAuthenticator() {
            @Override
            public CompletionStage<EnhancedAuthResult> start(EnhancedAuthenticationRequest request) {
                throw new IllegalStateException("broken plugin");
            }

            @Override
            public CompletionStage<EnhancedAuthResult> proceed(EnhancedAuthenticationRequest request) {
                throw new IllegalStateException("broken plugin");
            }
        });
        register("FAILING", starting(CompletableFuture.failedFuture(new IllegalStateException("broken stage"))));
        register("NULL", starting(CompletableFuture.completedFuture(null)));
        for (String method : List.of(METHOD, "FAILING", "NULL")) {
            try (RawClient c = connectWith("c", method, null)) {
                assertConnackRefused(c, 0x87);
            }
        }
    }

    @Test
    void serviceUnregisteredDuringTheExchangeDenies() throws Exception {
        start(10_000);
        TestServiceReference<EnhancedAuthenticator> reference =
                new TestServiceReference<>(Map.of(EnhancedAuthenticator.METHOD_PROPERTY, METHOD));
        broker.extensions().enhancedAuthenticators.add(reference, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertEquals(AUTH, c.read().type);
            broker.extensions().enhancedAuthenticators.remove(reference);
            c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-1")));
            assertConnackRefused(c, 0x87);
        }
    }

    @Test
    void otherPacketsBeforeConnackAreAProtocolError() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertEquals(AUTH, c.read().type);
            c.send(Mqtt5Raw.publish("t", "too early", 0, false, 0, props()));
            assertConnackRefused(c, 0x82);
        }
    }

    @Test
    void authWithAnotherMethodIsAProtocolError() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            assertEquals(AUTH, c.read().type);
            c.send(Mqtt5Raw.auth(0x18, props().authentication("OTHER", "response-1")));
            assertConnackRefused(c, 0x82);
        }
        try (RawClient c = connectWith("d", METHOD, "hello")) {
            completeChallenge(c, "challenge-2");
            c.send(Mqtt5Raw.auth(0x19, props().authentication("OTHER", "hello")));
            assertDisconnected(c, 0x82);
        }
    }

    @Test
    void authWithoutMethodInConnectIsAProtocolError() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("plain", true, 60, props()));
            assertEquals(0, c.read().body[1]);
            c.send(Mqtt5Raw.auth(0x19, props().authentication(METHOD, "hello")));
            assertDisconnected(c, 0x82);
        }
    }

    @Test
    void reauthenticationSucceedsWhileTheClientKeepsWorking() throws Exception {
        start(10_000);
        ChallengeResponse service = new ChallengeResponse();
        register(METHOD, service);
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            completeChallenge(c, "challenge-1");
            c.send(Mqtt5Raw.subscribe(1, "t", 0, props()));
            assertEquals(RawClient.SUBACK, c.read().type);
            c.send(Mqtt5Raw.auth(0x19, props().authentication(METHOD, "hello")));
            RawClient.Packet challenge = c.read();
            assertEquals(AUTH, challenge.type);
            assertEquals(0x18, challenge.body[0] & 0xFF);
            assertEquals("challenge-2", Mqtt5Raw.authProperties(challenge).get(0x16));
            c.send(Mqtt5Raw.publish("t", "during", 0, false, 0, props()));
            assertEquals("during", Mqtt5Raw.readPublish(c).payload, "the connection works during re-authentication");
            c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-2")));
            RawClient.Packet success = c.read();
            assertEquals(AUTH, success.type);
            assertEquals(0x00, success.body[0] & 0xFF, "AUTH success");
            Map<Integer, Object> p = Mqtt5Raw.authProperties(success);
            assertEquals(METHOD, p.get(0x15));
            assertEquals("welcome", p.get(0x16));
            c.send(Mqtt5Raw.publish("t", "after", 0, false, 0, props()));
            assertEquals("after", Mqtt5Raw.readPublish(c).payload);
        }
        assertTrue(service.requests.get(2).isReauthentication());
        assertNull(service.requests.get(2).password(), "no password kept after CONNECT");
    }

    @Test
    void failedReauthenticationDisconnects() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            completeChallenge(c, "challenge-1");
            c.send(Mqtt5Raw.auth(0x19, props().authentication(METHOD, "hello")));
            assertEquals(AUTH, c.read().type);
            c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-1")));
            assertDisconnected(c, 0x87);
        }
        EmbeddedBroker.await("client gone", () -> broker.engine().connected().isEmpty());
    }

    @Test
    void continueWithoutAChallengeIsAProtocolError() throws Exception {
        start(10_000);
        register(METHOD, new ChallengeResponse());
        try (RawClient c = connectWith("c", METHOD, "hello")) {
            completeChallenge(c, "challenge-1");
            c.send(Mqtt5Raw.auth(0x18, props().authentication(METHOD, "response-1")));
            assertDisconnected(c, 0x82);
        }
    }

    @Test
    void authDataWithoutMethodIsRefused() throws Exception {
        start(10_000);
        try (RawClient c = new RawClient(broker.port())) {
            c.send(Mqtt5Raw.connect("c", true, 60, props().binaryProp(0x16, bytes("data"))));
            assertConnackRefused(c, 0x82);
        }
    }

    private static void assertDisconnected(RawClient c, int reasonCode) throws Exception {
        RawClient.Packet packet = c.read();
        assertEquals(DISCONNECT, packet.type, "DISCONNECT expected");
        assertEquals(reasonCode, packet.body[0] & 0xFF, "DISCONNECT reason code");
        assertTrue(c.awaitClosed());
    }
}
