package io.culex.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Decision;
import io.culex.api.ServiceProperties;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestServiceReference;

/**
 * Fail closed by role. A required authentication provider ({@code password_file}) that is gone refuses new
 * clients, while the connected ones, authenticated already, keep publishing and receiving; a required
 * authorization provider ({@code acl_file}) that is gone denies every check; one that provides both
 * ({@code dynamic-security}) is needed in both roles. And the decision is taken on one snapshot of a chain, so a
 * required provider that leaves between the "is it there" and the asking never leaves the decision to the others.
 */
@ExtendWith(LeakDetection.class)
class RequiredProviderRolesTest {

    private static final int SERVER_UNAVAILABLE = 3;
    private static final int SUBSCRIBE_REFUSED = 0x80;

    private static Map<String, Object> settings(boolean anonymous, String[] authenticators, String[] authorizers) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(java.util.List.of(authenticators));
        all.addAll(java.util.List.of(authorizers));
        Map<String, Object> settings = new HashMap<>();
        settings.put("allow_anonymous", anonymous);
        settings.put("required_providers", all.toArray(String[]::new));
        settings.put("required_authenticators", authenticators);
        settings.put("required_authorizers", authorizers);
        // the wait for a missing provider is min(this, 2 s)
        settings.put("culex.authentication_timeout_ms", 300);
        return settings;
    }

    private static Authenticator passwordIs(String password) {
        return request -> CompletableFuture.completedFuture(request.username() == null ? Decision.DEFER
                : request.password() != null
                        && password.equals(new String(request.password(), StandardCharsets.UTF_8))
                        ? Decision.ALLOW : Decision.DENY);
    }

    private static int connect(RawClient client, String id, String username, String password) throws IOException {
        client.send(RawClient.connectPacket("MQTT", 4, id, true, 60, null, null, 0, false, username, password));
        RawClient.Packet connack = client.read();
        assertEquals(RawClient.CONNACK, connack.type);
        return connack.body[1] & 0xFF;
    }

    @Test
    void anAbsentPasswordFileRefusesNewClientsWhileConnectedOnesKeepPublishingAndReceiving() throws Exception {
        String[] passwordFile = {"password_file"};
        try (EmbeddedBroker broker = new EmbeddedBroker(settings(false, passwordFile, new String[0]));
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port());
             RawClient late = new RawClient(broker.port())) {
            TestServiceReference<Authenticator> reference =
                    new TestServiceReference<>(Map.of(ServiceProperties.PROVIDER, "password_file"));
            broker.extensions().authenticators.add(reference, passwordIs("pw"));
            assertEquals(0, connect(subscriber, "sub", "u", "pw"));
            subscriber.subscribe(1, "t", 1);
            assertEquals(0, connect(publisher, "pub", "u", "pw"));

            broker.extensions().authenticators.remove(reference); // the auth-file bundle stopped or uninstalled
            publisher.publish("t", "while the password file is gone", 1, false, 7);
            assertEquals(RawClient.PUBACK, publisher.read().type);
            RawClient.Packet delivered = subscriber.read();
            assertEquals(RawClient.PUBLISH, delivered.type, "connected clients are authenticated: they go on");
            assertEquals("while the password file is gone", delivered.payloadText());
            assertEquals(SERVER_UNAVAILABLE, connect(late, "late", "u", "pw"), "a new client is refused");
        }
    }

    @Test
    void anAbsentAclFileDeniesEveryCheckUntilItIsBack() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(settings(true, new String[0], new String[] {"acl_file"}));
             RawClient subscriber = new RawClient(broker.port());
             RawClient publisher = new RawClient(broker.port())) {
            TestServiceReference<Authorizer> reference =
                    new TestServiceReference<>(Map.of(ServiceProperties.PROVIDER, "acl_file"));
            Authorizer allowAll = (client, access, topic, qos, retain) -> Decision.ALLOW;
            broker.extensions().authorizers.add(reference, allowAll);
            assertEquals(0, subscriber.connect("sub", true, 60));
            subscriber.subscribe(1, "t", 1);
            assertEquals(0, publisher.connect("pub", true, 60));

            broker.extensions().authorizers.remove(reference);
            publisher.publish("t", "denied", 1, false, 7);
            assertEquals(RawClient.PUBACK, publisher.read().type, "MQTT 3.1.1 acknowledges a denied PUBLISH too");
            broker.extensions().authorizers.add(reference, allowAll);
            publisher.publish("t", "allowed again", 1, false, 8);
            assertEquals(RawClient.PUBACK, publisher.read().type);
            assertEquals("allowed again", subscriber.read().payloadText(), "the denied message never came");
        }
    }

    @Test
    void aProviderOfBothRolesIsNeededAsAuthenticatorToo() throws Exception {
        // dynamic security registers an authenticator and an authorizer; during its (un)registration one of them
        // may be there without the other
        String[] dynsec = {"dynamic-security"};
        try (EmbeddedBroker broker = new EmbeddedBroker(settings(true, dynsec, dynsec));
             RawClient client = new RawClient(broker.port())) {
            broker.extensions().authorizers.add(
                    new TestServiceReference<>(Map.of(ServiceProperties.PROVIDER, "dynamic-security")),
                    (c, access, topic, qos, retain) -> Decision.ALLOW);
            assertEquals(SERVER_UNAVAILABLE, connect(client, "c", "u", "wrong"),
                    "without the provider's authenticator the client is refused, not left to allow_anonymous");
        }
    }

    @Test
    void aRequiredAuthenticatorLeavingAfterTheWaitForProvidersRefusesTheClient() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(
                settings(true, new String[] {"password_file"}, new String[0]));
             RawClient client = new RawClient(broker.port())) {
            // it leaves the moment the broker has seen it registered: between the wait and the asking
            LeavingReference<Authenticator> reference = new LeavingReference<>("password_file");
            reference.whenSeen = () -> broker.extensions().authenticators.remove(reference);
            broker.extensions().authenticators.add(reference, passwordIs("pw"));
            assertEquals(SERVER_UNAVAILABLE, connect(client, "c", "u", "wrong"),
                    "refused: not let in by allow_anonymous with a wrong password");
        }
    }

    @Test
    void aRequiredAuthorizerLeavingDuringACheckDenies() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(settings(true, new String[0], new String[] {"acl_file"}));
             RawClient client = new RawClient(broker.port())) {
            LeavingReference<Authorizer> reference = new LeavingReference<>("acl_file");
            broker.extensions().authorizers.add(reference,
                    (c, access, topic, qos, retain) -> topic.startsWith("secret") ? Decision.DENY : Decision.ALLOW);
            assertEquals(0, client.connect("c", true, 60));
            assertEquals(1, subscribe(client, 1, "open"));
            assertEquals(SUBSCRIBE_REFUSED, subscribe(client, 2, "secret"));

            reference.whenSeen = () -> broker.extensions().authorizers.remove(reference);
            assertEquals(SUBSCRIBE_REFUSED, subscribe(client, 3, "secret/x"),
                    "the authorizer left during the check: denied, not allowed as if there were none");
            assertNull(reference.whenSeen, "the authorizer left during that check");
        }
    }

    /** @return the SUBACK return code */
    private static int subscribe(RawClient client, int packetId, String filter) throws IOException {
        byte[] topic = filter.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[2 + 2 + topic.length + 1];
        body[0] = (byte) (packetId >> 8);
        body[1] = (byte) packetId;
        body[2] = (byte) (topic.length >> 8);
        body[3] = (byte) topic.length;
        System.arraycopy(topic, 0, body, 4, topic.length);
        body[body.length - 1] = 1;
        client.send(RawClient.packet(0x82, body));
        RawClient.Packet suback = client.read();
        assertEquals(RawClient.SUBACK, suback.type);
        return suback.body[2] & 0xFF;
    }

    /**
     * A provider's service reference that runs {@link #whenSeen} (once) the first time the broker reads its
     * {@code culex.provider}: the moment it checks that the provider is there. That is where a bundle being
     * stopped on another thread can unregister it, before the broker calls it.
     */
    private static final class LeavingReference<S> implements ServiceReference<S> {
        private final TestServiceReference<S> delegate;
        volatile Runnable whenSeen;

        LeavingReference(String provider) {
            delegate = new TestServiceReference<>(Map.of(ServiceProperties.PROVIDER, provider));
        }

        @Override
        public Object getProperty(String key) {
            Runnable hook = whenSeen;
            if (hook != null && ServiceProperties.PROVIDER.equals(key)) {
                whenSeen = null;
                hook.run();
            }
            return delegate.getProperty(key);
        }

        @Override
        public String[] getPropertyKeys() {
            return delegate.getPropertyKeys();
        }

        @Override
        public Bundle getBundle() {
            return null;
        }

        @Override
        public Bundle[] getUsingBundles() {
            return null;
        }

        @Override
        public boolean isAssignableTo(Bundle bundle, String className) {
            return true;
        }

        @Override
        public int compareTo(Object other) {
            return delegate.compareTo(other instanceof LeavingReference<?> l ? l.delegate : other);
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return delegate.getProperties();
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return delegate.adapt(type);
        }
    }
}
