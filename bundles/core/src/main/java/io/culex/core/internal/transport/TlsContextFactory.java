package io.culex.core.internal.transport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.settings.TlsSettings;
import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds a listener's server {@link SslContext} (JDK provider) from its Mosquitto TLS options. Every failure is an
 * {@link IllegalStateException} whose message names the option, the file and the configuration source.
 */
public final class TlsContextFactory {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContextFactory.class);

    private TlsContextFactory() {
    }

    public static SslContext create(TlsSettings tls) {
        if (tls.dhparamfile != null) {
            LOG.warn("Warning: dhparamfile is ignored: the JDK uses the RFC 7919 Diffie-Hellman groups ({}).",
                    tls.source);
        }
        List<X509Certificate> chain;
        try {
            chain = PemFiles.certificates(Paths.get(tls.certfile));
        } catch (IOException | GeneralSecurityException e) {
            throw fail("Unable to load server certificate \"" + tls.certfile + "\" (certfile)", e, tls);
        }
        PrivateKey key;
        try {
            key = PemFiles.privateKey(Paths.get(tls.keyfile));
        } catch (IOException | GeneralSecurityException e) {
            throw fail("Unable to load server key file \"" + tls.keyfile + "\" (keyfile)", e, tls);
        }
        try {
            PemFiles.checkKeyMatches(key, chain.get(0));
        } catch (GeneralSecurityException e) {
            throw fail("Server certificate/key are inconsistent (certfile \"" + tls.certfile + "\", keyfile \""
                    + tls.keyfile + "\")", e, tls);
        }
        SslContextBuilder builder = SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK)
                .protocols(protocols(tls.tlsVersion))
                .clientAuth(tls.requireCertificate ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (tls.cafile != null || tls.capath != null) {
            builder.trustManager(trustManagerFactory(tls));
        }
        if (tls.ciphers != null || tls.ciphersTls13 != null) {
            builder.ciphers(cipherSuites(tls));
        }
        try {
            return builder.build();
        } catch (IOException e) {
            throw fail("Unable to set up TLS", e, tls);
        }
    }

    /** Mosquitto's {@code tls_version} is the lowest version allowed; unset means TLS 1.2 and 1.3. */
    private static String[] protocols(String tlsVersion) {
        if ("tlsv1.3".equals(tlsVersion)) {
            return new String[] {"TLSv1.3"};
        }
        if ("tlsv1.1".equals(tlsVersion)) {
            // the JDK disables TLS 1.1 in java.security (jdk.tls.disabledAlgorithms) unless the admin re-enables it
            return new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1"};
        }
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }

    private static TrustManagerFactory trustManagerFactory(TlsSettings tls) {
        List<X509Certificate> authorities = new ArrayList<>();
        if (tls.cafile != null) {
            try {
                authorities.addAll(PemFiles.certificates(Paths.get(tls.cafile)));
            } catch (IOException | GeneralSecurityException e) {
                throw fail("Unable to load CA certificates from \"" + tls.cafile + "\" (cafile)", e, tls);
            }
        }
        if (tls.capath != null) {
            authorities.addAll(directoryOfAuthorities(tls));
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (tls.crlfile == null) {
                factory.init(store);
            } else {
                factory.init(new CertPathTrustManagerParameters(revocationChecking(store, tls)));
            }
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw fail("Unable to use the CA certificates", e, tls);
        }
    }

    /** Every file of capath that holds certificates (OpenSSL looks up hashed names; reading all is a superset). */
    private static List<X509Certificate> directoryOfAuthorities(TlsSettings tls) {
        List<X509Certificate> result = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Paths.get(tls.capath))) {
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    result.addAll(PemFiles.certificates(file));
                } catch (IOException | GeneralSecurityException notACertificate) {
                    LOG.debug("capath: skipping {}: {}", file, notACertificate.toString());
                }
            }
        } catch (IOException e) {
            throw fail("Unable to load CA certificates from \"" + tls.capath + "\" (capath)", e, tls);
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("Error: Unable to load CA certificates from \"" + tls.capath
                    + "\" (capath): no certificate in the directory (" + tls.source + ").");
        }
        return result;
    }

    /**
     * As Mosquitto's {@code X509_V_FLAG_CRL_CHECK}: the client's own certificate must be covered by a CRL of the
     * file (a missing CRL for its issuer fails), CA certificates are not checked, nothing is fetched from the
     * network.
     */
    private static PKIXBuilderParameters revocationChecking(KeyStore store, TlsSettings tls)
            throws GeneralSecurityException {
        List<X509CRL> crls;
        try {
            crls = PemFiles.crls(Paths.get(tls.crlfile));
        } catch (IOException | GeneralSecurityException e) {
            throw fail("Unable to load certificate revocation list \"" + tls.crlfile + "\" (crlfile)", e, tls);
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(store, new X509CertSelector());
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
        PKIXRevocationChecker checker =
                (PKIXRevocationChecker) CertPathValidator.getInstance("PKIX").getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY,
                PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
        parameters.addCertPathChecker(checker);
        return parameters;
    }

    /**
     * The enabled suites: {@code ciphers} (TLS 1.2 and below, OpenSSL names or Java names) plus
     * {@code ciphers_tls1.3}; the JDK's defaults for the part that is not configured. OpenSSL's cipher-string
     * language ({@code HIGH}, {@code !aNULL}, {@code @STRENGTH}, ...) is not interpreted: exclusions are
     * dropped (the JDK enables no weak suite by default) and keywords mean "the JDK's defaults", with a warning.
     */
    private static List<String> cipherSuites(TlsSettings tls) {
        SSLParameters supported;
        SSLParameters defaults;
        try {
            supported = SSLContext.getDefault().getSupportedSSLParameters();
            defaults = SSLContext.getDefault().getDefaultSSLParameters();
        } catch (GeneralSecurityException e) {
            throw fail("Unable to list the JDK's cipher suites", e, tls);
        }
        Set<String> supportedSuites = Set.copyOf(Arrays.asList(supported.getCipherSuites()));
        Set<String> result = new LinkedHashSet<>();
        if (tls.ciphers == null) {
            Arrays.stream(defaults.getCipherSuites()).filter(s -> !isTls13Suite(s)).forEach(result::add);
        } else {
            List<String> keywords = new ArrayList<>();
            for (String token : tls.ciphers.split("[:, ]+")) {
                if (token.isEmpty() || "!-+@".indexOf(token.charAt(0)) >= 0) {
                    continue;
                }
                String java = supportedSuites.contains(token) ? token : CipherSuiteConverter.toJava(token, "TLS");
                if (java != null && supportedSuites.contains(java)) {
                    result.add(java);
                } else if (looksLikeSuiteName(token)) {
                    throw new IllegalStateException("Error: Unknown or unsupported cipher \"" + token
                            + "\" in ciphers (" + tls.source + ").");
                } else {
                    keywords.add(token);
                }
            }
            if (!keywords.isEmpty()) {
                LOG.warn("Warning: ciphers: OpenSSL cipher-string keywords {} are not interpreted by Culex; {} ({}).",
                        keywords, result.isEmpty() ? "the JDK's default suites are used" : "they are ignored",
                        tls.source);
            }
            if (result.isEmpty()) {
                Arrays.stream(defaults.getCipherSuites()).filter(s -> !isTls13Suite(s)).forEach(result::add);
            }
        }
        if (tls.ciphersTls13 == null) {
            Arrays.stream(defaults.getCipherSuites()).filter(TlsContextFactory::isTls13Suite).forEach(result::add);
        } else {
            for (String token : tls.ciphersTls13.split("[:, ]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (!isTls13Suite(token) || !supportedSuites.contains(token)) {
                    throw new IllegalStateException("Error: Unknown or unsupported TLS 1.3 cipher suite \"" + token
                            + "\" in ciphers_tls1.3 (" + tls.source + ").");
                }
                result.add(token);
            }
        }
        return new ArrayList<>(result);
    }

    private static boolean isTls13Suite(String javaName) {
        return javaName.startsWith("TLS_AES_") || javaName.startsWith("TLS_CHACHA20_");
    }

    /** OpenSSL suite names look like {@code ECDHE-RSA-AES128-GCM-SHA256}; Java names like {@code TLS_...}. */
    private static boolean looksLikeSuiteName(String token) {
        return token.startsWith("TLS_") || token.startsWith("SSL_") || (token.contains("-") && !token.contains("+")
                && token.equals(token.toUpperCase(java.util.Locale.ROOT)));
    }

    private static IllegalStateException fail(String what, Exception cause, TlsSettings tls) {
        return new IllegalStateException("Error: " + what + ": " + reason(cause) + " (" + tls.source + ").", cause);
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message;
    }
}
