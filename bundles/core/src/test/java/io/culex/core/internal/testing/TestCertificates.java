package io.culex.core.internal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import java.net.Socket;
import java.security.Principal;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real certificates for TLS tests, made with the {@code openssl} command in a temporary directory: two CAs, a
 * server certificate for 127.0.0.1 whose key is PKCS#1 (as {@code openssl genrsa -traditional} writes it), a
 * second server key in SEC1 form (EC), client certificates from either CA, and a CRL revoking one client.
 */
public final class TestCertificates {

    public final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("culex-tls-");
        TestCertificates c = new TestCertificates(dir);
        c.authority("ca", "/O=Culex Test/CN=Culex Test CA");
        c.authority("other-ca", "/O=Elsewhere/CN=Other CA");
        // PKCS#1 RSA key for the server
        c.openssl("genrsa", "-traditional", "-out", "server.key", "2048");
        c.signed("server", "ca", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        // SEC1 EC key (with its EC PARAMETERS block first, as openssl ecparam writes it)
        c.openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "server-ec.key");
        c.signed("server-ec", "ca", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        c.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client.key");
        c.signed("client", "ca", "/C=GB/O=Culex Test, Ltd./OU=Devices/CN=client-one/emailAddress=one@example.org",
                null);
        c.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "revoked.key");
        c.signed("revoked", "ca", "/CN=revoked-client", null);
        c.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "stranger.key");
        c.signed("stranger", "other-ca", "/CN=stranger", null);
        c.crl();
        return c;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public String path(String name) {
        return file(name).toString();
    }

    private void authority(String name, String subject) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt",
                "-days", "2", "-subj", subject);
    }

    private void signed(String name, String ca, String subject, String extension)
            throws IOException, InterruptedException {
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", subject);
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt",
                "-CAkey", ca + ".key", "-CAcreateserial", "-out", name + ".crt", "-days", "2"));
        if (extension != null) {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
            args.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(args.toArray(new String[0]));
    }

    /** A CRL of "ca" that revokes "revoked" (openssl ca needs its little database). */
    private void crl() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test_ca", "[ test_ca ]", "dir = .", "database = index.txt",
                "crlnumber = crlnumber", "certificate = ca.crt", "private_key = ca.key", "default_md = sha256",
                "default_crl_days = 2", "policy = any", "[ any ]", "commonName = supplied", ""));
        openssl("ca", "-config", "ca.cnf", "-revoke", "revoked.crt");
        openssl("ca", "-config", "ca.cnf", "-gencrl", "-out", "ca.crl");
    }

    /** Run openssl in the directory; fails with its output if it fails. */
    public String openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }

    /**
     * A client context trusting one CA's certificate, optionally presenting a client certificate.
     *
     * @param clientName "client", "stranger", "revoked" or {@code null} for none
     */
    public SSLContext clientContext(String trustedCa, String clientName) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate(trustedCa + ".crt"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientName != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", pkcs8Key(clientName + ".key"), new char[0],
                    new Certificate[] {certificate(clientName + ".crt")});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] keyManagers = kmf == null ? null
                : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }

    /** A connected, handshaken TLS socket to the port. */
    public SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    public X509Certificate certificate(String name) throws Exception {
        try (InputStream in = Files.newInputStream(file(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private PrivateKey pkcs8Key(String name) throws Exception {
        String pem = Files.readString(file(name));
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }

    /**
     * Presents its certificate whatever CAs the server names, as mosquitto_pub --cert does: the JDK's own key
     * manager would send nothing when the certificate is from a CA the server does not list.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysPresent(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
