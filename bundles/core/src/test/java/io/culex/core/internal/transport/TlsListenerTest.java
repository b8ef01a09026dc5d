package io.culex.core.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.testing.EmbeddedBroker;
import io.culex.core.internal.testing.LeakDetection;
import io.culex.core.internal.testing.RawClient;
import io.culex.core.internal.testing.TestCertificates;
import io.culex.core.internal.testing.TestServiceReference;

/** TLS listeners with real certificates made by openssl, and real TLS clients (JDK SSLSocket). */
@ExtendWith(LeakDetection.class)
class TlsListenerTest {

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

    private static Map<String, Object> tls(Object... more) {
        Map<String, Object> options = new HashMap<>();
        options.put("certfile", certs.path("server.crt"));
        options.put("keyfile", certs.path("server.key"));
        for (int i = 0; i < more.length; i += 2) {
            options.put((String) more[i], more[i + 1]);
        }
        return options;
    }

    private static int connect(SSLContext context, int port, String clientId) throws Exception {
        try (RawClient client = new RawClient(certs.connect(context, port))) {
            return client.connect(clientId, true, 60);
        }
    }

    @Test
    void clientTrustingTheCaConnectsToPkcs1Key() throws Exception {
        assertTrue(Files.readString(certs.file("server.key")).contains("BEGIN RSA PRIVATE KEY"), "PKCS#1 key");
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls())) {
            assertEquals(0, connect(certs.clientContext("ca", null), broker.port(), "tls-1"));
        }
    }

    @Test
    void ecKeyInSec1FormWorks() throws Exception {
        assertTrue(Files.readString(certs.file("server-ec.key")).contains("BEGIN EC PRIVATE KEY"), "SEC1 key");
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("certfile", certs.path("server-ec.crt"),
                "keyfile", certs.path("server-ec.key")))) {
            assertEquals(0, connect(certs.clientContext("ca", null), broker.port(), "tls-ec"));
        }
    }

    @Test
    void clientTrustingAnotherCaRefusesTheServer() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls())) {
            assertThrows(SSLException.class, () -> connect(certs.clientContext("other-ca", null), broker.port(),
                    "wrong-ca"));
            assertEquals(0, connect(certs.clientContext("ca", null), broker.port(), "after"),
                    "the listener still serves others");
        }
    }

    @Test
    void plainMqttOnATlsPortIsClosed() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls());
             RawClient plain = new RawClient(broker.port())) {
            plain.send(RawClient.connectPacket("MQTT", 4, "plain", true, 60, null, null, 0, false, null, null));
            assertTrue(plain.awaitClosed());
        }
    }

    @Test
    void requireCertificateRefusesClientsWithoutOneOrFromAnotherCa() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("require_certificate", true,
                "cafile", certs.path("ca.crt")))) {
            // TLS 1.3: the client learns of the refusal when it next reads
            assertThrows(IOException.class, () -> connect(certs.clientContext("ca", null), broker.port(), "none"));
            assertThrows(IOException.class, () -> connect(certs.clientContext("ca", "stranger"), broker.port(),
                    "stranger"));
            assertEquals(0, connect(certs.clientContext("ca", "client"), broker.port(), "with-cert"));
        }
    }

    @Test
    void revokedClientCertificateIsRefused() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("require_certificate", true,
                "cafile", certs.path("ca.crt"), "crlfile", certs.path("ca.crl")))) {
            assertThrows(IOException.class, () -> connect(certs.clientContext("ca", "revoked"), broker.port(),
                    "revoked"));
            assertEquals(0, connect(certs.clientContext("ca", "client"), broker.port(), "not-revoked"));
        }
    }

    @Test
    void authenticatorSeesTheCertificateChain() throws Exception {
        BlockingQueue<List<X509Certificate>> seen = new LinkedBlockingQueue<>();
        Authenticator authenticator = request -> {
            seen.add(request.peerCertificates());
            return CompletableFuture.completedFuture(Decision.ALLOW);
        };
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("require_certificate", true,
                "cafile", certs.path("ca.crt")))) {
            broker.extensions().authenticators.add(new TestServiceReference<>(), authenticator);
            assertEquals(0, connect(certs.clientContext("ca", "client"), broker.port(), "chain"));
            List<X509Certificate> chain = seen.poll(10, TimeUnit.SECONDS);
            assertEquals(certs.certificate("client.crt"), chain.get(0));
        }
        try (EmbeddedBroker plain = new EmbeddedBroker(Map.of(), Map.of())) {
            plain.extensions().authenticators.add(new TestServiceReference<>(), authenticator);
            try (RawClient client = new RawClient(plain.port())) {
                assertEquals(0, client.connect("no-tls", true, 60));
            }
            assertEquals(List.of(), seen.poll(10, TimeUnit.SECONDS), "no certificates without TLS");
        }
    }

    @Test
    void identityAsUsernameGivesTheCommonNameToTheAuthorizer() throws Exception {
        BlockingQueue<ClientInfo> subscribers = new LinkedBlockingQueue<>();
        Authorizer authorizer = (client, access, topic, qos, retain) -> {
            subscribers.add(client);
            return Decision.ALLOW;
        };
        // Mosquitto skips password checks when the certificate names the user: this one would deny everybody
        Authenticator denyAll = request -> CompletableFuture.completedFuture(Decision.DENY);
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of("allow_anonymous", false), tls(
                "require_certificate", true, "cafile", certs.path("ca.crt"), "use_identity_as_username", true))) {
            broker.extensions().authorizers.add(new TestServiceReference<>(), authorizer);
            broker.extensions().authenticators.add(new TestServiceReference<>(), denyAll);
            try (RawClient client = new RawClient(certs.connect(certs.clientContext("ca", "client"), broker.port()))) {
                client.send(RawClient.connectPacket("MQTT", 4, "cn", true, 60, null, null, 0, false, "ignored",
                        "secret"));
                assertEquals(0, client.read().body[1], "CONNACK accepted");
                client.subscribe(1, "t", 0);
            }
            ClientInfo seen = subscribers.poll(10, TimeUnit.SECONDS);
            assertEquals("client-one", seen.username());
            assertEquals(certs.certificate("client.crt"), seen.peerCertificates().get(0));
        }
    }

    @Test
    void subjectAsUsernameIsOpenSslsRfc2253Form() throws Exception {
        String expected = certs.openssl("x509", "-in", "client.crt", "-noout", "-subject", "-nameopt", "RFC2253")
                .trim().replaceFirst("^subject=", "");
        assertEquals(expected, PeerIdentity.subject(certs.certificate("client.crt")));
        assertTrue(expected.contains("O=Culex Test\\, Ltd."), expected);
        assertEquals("client-one", PeerIdentity.commonName(certs.certificate("client.crt")));
    }

    @Test
    void subjectAsUsernameReachesTheBroker() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("require_certificate", true,
                "cafile", certs.path("ca.crt"), "use_subject_as_username", true, "use_username_as_clientid", true))) {
            String subject = PeerIdentity.subject(certs.certificate("client.crt"));
            try (RawClient client = new RawClient(certs.connect(certs.clientContext("ca", "client"), broker.port()))) {
                assertEquals(0, client.connect("ignored", true, 60));
                EmbeddedBroker.await("client id = subject", () -> broker.engine().connected().containsKey(subject));
            }
        }
    }

    @Test
    void identityAsUsernameRefusesClientsWithoutCertificateAsMosquittoDoes() throws Exception {
        // a TLS client without certificate cannot reach CONNECT on such a listener (require_certificate is
        // needed), so the refusal is checked where it happens: PeerIdentity on a TLS listener without a
        // client certificate
        ListenerSettings settings = ListenerSettings.from(Map.of("port", 0, "certfile", "c", "keyfile", "k",
                "cafile", "ca", "require_certificate", true, "use_identity_as_username", true));
        io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel();
        try {
            PeerIdentity identity = PeerIdentity.of(channel, settings);
            assertTrue(identity.refusal().contains("no client certificate"), identity.refusal());
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void badFilesAreErrorsNamingOptionAndSource() throws Exception {
        Path garbage = certs.file("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
        IllegalStateException badKey = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("keyfile", garbage.toString())));
        assertTrue(badKey.getMessage().contains("(keyfile)") && badKey.getMessage().contains("(test.conf:1)"),
                badKey.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("certfile", certs.path("nothing.crt"))));
        assertTrue(missing.getMessage().contains("(certfile): no such file"), missing.getMessage());
        IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("certfile", certs.path("client.crt"))));
        assertTrue(mismatch.getMessage().contains("inconsistent"), mismatch.getMessage());
        IllegalStateException badCa = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("cafile", certs.path("server.key"))));
        assertTrue(badCa.getMessage().contains("(cafile)"), badCa.getMessage());
        certs.openssl("pkey", "-in", "client.key", "-aes256", "-passout", "pass:x", "-out", "encrypted.key");
        IllegalStateException encrypted = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("keyfile", certs.path("encrypted.key"))));
        assertTrue(encrypted.getMessage().contains("encrypted"), encrypted.getMessage());
    }

    @Test
    void optionCombinationsThatCannotWorkAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(Map.of("port", 1, "certfile", "c")));
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(Map.of("port", 1, "cafile", "c")));
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(Map.of("port", 1,
                "certfile", "c", "keyfile", "k", "tls_version", "tlsv1.0")));
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(Map.of("port", 1,
                "certfile", "c", "keyfile", "k", "require_certificate", true)));
        assertThrows(IllegalArgumentException.class, () -> ListenerSettings.from(Map.of("port", 1,
                "certfile", "c", "keyfile", "k", "use_identity_as_username", true)));
    }

    @Test
    void tlsVersionIsTheLowestAccepted() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("tls_version", "tlsv1.3"))) {
            SSLContext context = certs.clientContext("ca", null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", broker.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThrows(SSLException.class, socket::startHandshake);
            }
            assertEquals(0, connect(context, broker.port(), "v13"));
        }
    }

    @Test
    void ciphersTakeOpenSslNames() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(Map.of(), tls("tls_version", "tlsv1.2",
                "ciphers", "ECDHE-RSA-AES128-GCM-SHA256:!aNULL"))) {
            SSLContext context = certs.clientContext("ca", null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", broker.port())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.startHandshake();
                assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", socket.getSession().getCipherSuite());
            }
        }
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> new EmbeddedBroker(Map.of(), tls("ciphers", "NO-SUCH-CIPHER-SHA256")));
        assertTrue(unknown.getMessage().contains("in ciphers"), unknown.getMessage());
    }
}
