package io.culex.core.internal.settings;

import java.util.List;
import java.util.Map;

/**
 * The TLS options of one listener, with Mosquitto's names and meaning. Only the combination is checked here; the
 * files are read by {@link TlsContextFactory} when the listener starts.
 */
public final class TlsSettings {

    /** Options that mean something only on a TLS listener. */
    private static final List<String> NEEDS_CERTIFICATE = List.of("cafile", "capath", "ciphers", "ciphers_tls1.3",
            "crlfile", "dhparamfile", "tls_version");
    private static final List<String> FLAGS_NEEDING_CERTIFICATE = List.of("require_certificate",
            "use_identity_as_username", "use_subject_as_username");

    public final String certfile;
    public final String keyfile;
    /** PEM file of trusted CA certificates for client certificates, or {@code null}. */
    public final String cafile;
    /** Directory of PEM CA certificates, or {@code null}. */
    public final String capath;
    /** {@code tlsv1.3}, {@code tlsv1.2}, {@code tlsv1.1}: the lowest version accepted; {@code null} = TLS 1.2. */
    public final String tlsVersion;
    /** OpenSSL cipher list for TLS 1.2 and below, or {@code null} for the JDK's defaults. */
    public final String ciphers;
    /** TLS 1.3 cipher suites, or {@code null} for the JDK's defaults. */
    public final String ciphersTls13;
    public final String crlfile;
    /** Accepted and ignored: the JDK chooses its own (RFC 7919) Diffie-Hellman groups. */
    public final String dhparamfile;
    public final boolean requireCertificate;
    public final boolean useIdentityAsUsername;
    public final boolean useSubjectAsUsername;
    /** Where the listener was defined, for messages. */
    public final String source;

    private TlsSettings(Map<String, ?> p, String source) {
        this.source = source;
        certfile = ListenerSettings.text(p, "certfile");
        keyfile = ListenerSettings.text(p, "keyfile");
        cafile = ListenerSettings.text(p, "cafile");
        capath = ListenerSettings.text(p, "capath");
        tlsVersion = ListenerSettings.text(p, "tls_version");
        ciphers = ListenerSettings.text(p, "ciphers");
        ciphersTls13 = ListenerSettings.text(p, "ciphers_tls1.3");
        crlfile = ListenerSettings.text(p, "crlfile");
        dhparamfile = ListenerSettings.text(p, "dhparamfile");
        requireCertificate = flag(p, "require_certificate");
        useIdentityAsUsername = flag(p, "use_identity_as_username");
        useSubjectAsUsername = flag(p, "use_subject_as_username");
    }

    /**
     * @return the listener's TLS options, or {@code null} if it has none
     * @throws IllegalArgumentException if the combination cannot work
     */
    static TlsSettings from(Map<String, ?> p, String source) {
        boolean hasCert = ListenerSettings.text(p, "certfile") != null;
        boolean hasKey = ListenerSettings.text(p, "keyfile") != null;
        if (hasCert != hasKey) {
            throw new IllegalArgumentException("Error: " + (hasCert ? "certfile" : "keyfile") + " is set but "
                    + (hasCert ? "keyfile" : "certfile") + " is not: a TLS listener needs both (" + source + ").");
        }
        if (!hasCert) {
            // Mosquitto would serve plain MQTT here and silently ignore these; a listener meant to be secure
            // must not start unencrypted
            for (String option : NEEDS_CERTIFICATE) {
                if (ListenerSettings.text(p, option) != null) {
                    throw new IllegalArgumentException("Error: " + option + " is set but certfile and keyfile are "
                            + "not: TLS is not enabled on this listener (" + source + ").");
                }
            }
            for (String option : FLAGS_NEEDING_CERTIFICATE) {
                if (flag(p, option)) {
                    throw new IllegalArgumentException("Error: " + option + " true needs certfile and keyfile: TLS "
                            + "is not enabled on this listener (" + source + ").");
                }
            }
            return null;
        }
        TlsSettings tls = new TlsSettings(p, source);
        tls.check();
        return tls;
    }

    private void check() {
        if (tlsVersion != null && !List.of("tlsv1.3", "tlsv1.2", "tlsv1.1").contains(tlsVersion)) {
            throw new IllegalArgumentException("Error: Unsupported tls_version \"" + tlsVersion + "\" (" + source
                    + ").");
        }
        if (requireCertificate && cafile == null && capath == null) {
            throw new IllegalArgumentException("Error: require_certificate true needs cafile or capath to verify "
                    + "client certificates (" + source + ").");
        }
        if ((useIdentityAsUsername || useSubjectAsUsername) && !requireCertificate) {
            // Mosquitto does not even ask for a certificate then, and refuses every client
            throw new IllegalArgumentException("Error: " + (useIdentityAsUsername ? "use_identity_as_username"
                    : "use_subject_as_username") + " true needs require_certificate true (" + source + ").");
        }
        if (crlfile != null && cafile == null && capath == null) {
            throw new IllegalArgumentException("Error: crlfile needs cafile or capath (" + source + ").");
        }
    }

    /** @return {@code true} if the client certificate replaces the user name from CONNECT */
    public boolean certificateIsUsername() {
        return useIdentityAsUsername || useSubjectAsUsername;
    }

    private static boolean flag(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v != null && Boolean.parseBoolean(v.toString().trim());
    }
}
