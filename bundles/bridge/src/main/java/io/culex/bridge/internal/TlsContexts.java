package io.culex.bridge.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * The client TLS context of a bridge, from Mosquitto's {@code bridge_cafile}/{@code bridge_capath} (trusted CAs),
 * {@code bridge_certfile}/{@code bridge_keyfile} (the bridge's own certificate, PEM; the key unencrypted PKCS#8),
 * {@code bridge_tls_version}, {@code bridge_alpn} and {@code bridge_insecure} (no host name check, as Mosquitto: the
 * certificate chain is still verified). Built when the bridge starts, so a bad file fails the start with its name.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext create(BridgeTls tls) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (tls.caFile() != null) {
                builder.trustManager(readable(tls.caFile(), "bridge_cafile"));
            } else {
                builder.trustManager(certificatesIn(Path.of(tls.caPath())));
            }
            if (tls.certFile() != null) {
                builder.keyManager(readable(tls.certFile(), "bridge_certfile"), readable(tls.keyFile(), "bridge_keyfile"));
            }
            if (tls.tlsVersion() != null) {
                builder.protocols(switch (tls.tlsVersion()) {
                    case "tlsv1.3" -> "TLSv1.3";
                    case "tlsv1.2" -> "TLSv1.2";
                    default -> "TLSv1.1";
                });
            }
            if (tls.alpn() != null) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, tls.alpn()));
            }
            builder.endpointIdentificationAlgorithm(tls.insecure() ? null : "HTTPS");
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Bridge TLS configuration: " + e.getMessage(), e);
        }
    }

    private static File readable(String path, String option) {
        File file = new File(path);
        if (!file.canRead()) {
            throw new IllegalArgumentException("Unable to load " + option + " \"" + path + "\"");
        }
        return file;
    }

    /** Every certificate in the directory's PEM files, as OpenSSL's capath (hashed names or plain .pem/.crt). */
    private static List<X509Certificate> certificatesIn(Path directory) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!Files.isRegularFile(file) || !(name.endsWith(".pem") || name.endsWith(".crt")
                        || name.matches("[0-9a-f]{8}\\.[0-9]+"))) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(file)) {
                    factory.generateCertificates(in).forEach(c -> certificates.add((X509Certificate) c));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("Unable to load bridge_capath \"" + directory + "\": " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("No certificates in bridge_capath \"" + directory + "\"");
        }
        return certificates;
    }
}
