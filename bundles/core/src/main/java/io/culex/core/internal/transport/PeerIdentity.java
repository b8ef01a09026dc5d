package io.culex.core.internal.transport;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.settings.TlsSettings;
import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslHandler;

/**
 * What the transport knows about a client at CONNECT time: its verified certificate chain, and, on a listener with
 * {@code use_identity_as_username} or {@code use_subject_as_username}, the user name taken from the certificate
 * (Mosquitto's {@code handle_username_from_cert_options}).
 */
public final class PeerIdentity {

    private static final PeerIdentity NO_CERTIFICATE = new PeerIdentity(List.of(), null, null);

    /** OpenSSL's short names ({@code XN_FLAG_FN_SN}), which Mosquitto's subject user names use. */
    private static final Map<String, String> OPENSSL_SHORT_NAMES = Map.ofEntries(
            Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"),
            Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
            Map.entry("2.5.4.9", "street"), Map.entry("0.9.2342.19200300.100.1.25", "DC"),
            Map.entry("0.9.2342.19200300.100.1.1", "UID"), Map.entry("1.2.840.113549.1.9.1", "emailAddress"),
            Map.entry("1.2.840.113549.1.9.2", "unstructuredName"), Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.4", "SN"), Map.entry("2.5.4.42", "GN"), Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.43", "initials"), Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"), Map.entry("2.5.4.65", "pseudonym"), Map.entry("2.5.4.41", "name"),
            Map.entry("2.5.4.13", "description"), Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.15", "businessCategory"), Map.entry("2.5.4.97", "organizationIdentifier"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST"),
            Map.entry("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL"));
    private static final String COMMON_NAME = "2.5.4.3";

    private final List<X509Certificate> certificates;
    private final String username;
    private final String refusal;

    private PeerIdentity(List<X509Certificate> certificates, String username, String refusal) {
        this.certificates = certificates;
        this.username = username;
        this.refusal = refusal;
    }

    /**
     * @param channel the client's channel, at CONNECT (the TLS handshake is complete by then)
     * @param listener the listener the client connected to
     */
    public static PeerIdentity of(Channel channel, ListenerSettings listener) {
        List<X509Certificate> chain = certificates(channel);
        TlsSettings tls = listener.tls;
        if (tls == null || !tls.certificateIsUsername()) {
            return chain.isEmpty() ? NO_CERTIFICATE : new PeerIdentity(chain, null, null);
        }
        String option = tls.useIdentityAsUsername ? "use_identity_as_username" : "use_subject_as_username";
        if (chain.isEmpty()) {
            return new PeerIdentity(chain, null, "no client certificate (" + option + ")");
        }
        String name;
        try {
            name = tls.useIdentityAsUsername ? commonName(chain.get(0)) : subject(chain.get(0));
        } catch (InvalidKeySpecException e) {
            return new PeerIdentity(chain, null, "unreadable certificate subject: " + e.getMessage());
        }
        if (name == null) {
            return new PeerIdentity(chain, null, "the client certificate has no common name (" + option + ")");
        }
        if (name.indexOf('\0') >= 0) {
            return new PeerIdentity(chain, null, "NUL character in the certificate's name (" + option + ")");
        }
        return new PeerIdentity(chain, name, null);
    }

    /** @return the verified chain, client certificate first; empty without TLS or client certificate */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** @return {@code true} if the listener takes the user name from the certificate, and did */
    public boolean replacesUsername() {
        return username != null;
    }

    /** @return the user name from the certificate, or {@code null} */
    public String username() {
        return username;
    }

    /**
     * @return why the client must be refused (CONNACK "bad user name or password", as Mosquitto), or {@code null}
     */
    public String refusal() {
        return refusal;
    }

    /**
     * @return the client's address for logs and {@code ClientInfo}: the peer's IP address and port; for a Unix
     *     socket client (whose peer address is unnamed) the socket's path, as Mosquitto prints it
     */
    public static SocketAddress remoteAddress(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (channel.localAddress() instanceof DomainSocketAddress
                && (remote == null || ((DomainSocketAddress) remote).path().isEmpty())) {
            return channel.localAddress();
        }
        return remote;
    }

    /** @return {@link #remoteAddress} as the log prints it: {@code 127.0.0.1:53412}, or a socket path */
    public static String printableRemoteAddress(Channel channel) {
        SocketAddress address = remoteAddress(channel);
        if (address instanceof java.net.InetSocketAddress) {
            java.net.InetSocketAddress inet = (java.net.InetSocketAddress) address;
            return (inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress()) + ":"
                    + inet.getPort();
        }
        return String.valueOf(address);
    }

    private static List<X509Certificate> certificates(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
                result.add((X509Certificate) certificate);
            }
            return Collections.unmodifiableList(result);
        } catch (SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
    }

    /** @return the first common name of the subject, as OpenSSL's {@code X509_NAME_get_index_by_NID} finds it */
    static String commonName(X509Certificate certificate) throws InvalidKeySpecException {
        for (Der rdn : new Der(certificate.getSubjectX500Principal().getEncoded(), 0).children()) {
            for (Der attribute : rdn.children()) {
                List<Der> typeAndValue = attribute.children();
                if (typeAndValue.size() == 2 && typeAndValue.get(0).oid().equals(COMMON_NAME)) {
                    return decodeString(typeAndValue.get(1));
                }
            }
        }
        return null;
    }

    /**
     * The subject as Mosquitto writes it for {@code use_subject_as_username}: OpenSSL's
     * {@code X509_NAME_print_ex(..., XN_FLAG_RFC2253)}, i.e. RDNs most specific first, OpenSSL's short names,
     * RFC 2253 escaping, bytes outside ASCII and control characters as {@code \XX}, unknown attributes as
     * {@code OID=#hex}. (The JDK's own RFC 2253 form differs: other names, other escaping.)
     */
    static String subject(X509Certificate certificate) throws InvalidKeySpecException {
        List<Der> rdns = new Der(certificate.getSubjectX500Principal().getEncoded(), 0).children();
        StringBuilder result = new StringBuilder();
        for (int i = rdns.size() - 1; i >= 0; i--) {
            if (result.length() > 0) {
                result.append(',');
            }
            List<Der> attributes = rdns.get(i).children();
            for (int j = 0; j < attributes.size(); j++) {
                if (j > 0) {
                    result.append('+');
                }
                List<Der> typeAndValue = attributes.get(j).children();
                String oid = typeAndValue.get(0).oid();
                String shortName = OPENSSL_SHORT_NAMES.get(oid);
                Der value = typeAndValue.get(1);
                String text = shortName == null ? null : decodeString(value);
                if (text == null) {
                    result.append(shortName == null ? oid : shortName).append("=#").append(hex(value.encoded()));
                } else {
                    result.append(shortName).append('=');
                    appendEscaped(result, text);
                }
            }
        }
        return result.toString();
    }

    private static void appendEscaped(StringBuilder out, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            if (b > 0x7F || b < 0x20 || b == 0x7F) {
                out.append('\\').append(String.format("%02X", b));
            } else if (",+\"\\<>;".indexOf(b) >= 0
                    || (i == 0 && (b == '#' || b == ' ')) || (i == utf8.length - 1 && b == ' ')) {
                out.append('\\').append((char) b);
            } else {
                out.append((char) b);
            }
        }
    }

    /** @return a directory string's text, or {@code null} for a type that is not text */
    private static String decodeString(Der value) {
        byte[] content = value.content();
        switch (value.tag) {
            case 0x0C: // UTF8String
                return new String(content, StandardCharsets.UTF_8);
            case 0x12: // NumericString
            case 0x13: // PrintableString
            case 0x16: // IA5String
            case 0x1A: // VisibleString
            case 0x14: // T61String: OpenSSL treats it as Latin-1
                return new String(content, StandardCharsets.ISO_8859_1);
            case 0x1E: // BMPString
                return new String(content, StandardCharsets.UTF_16BE);
            case 0x1C: // UniversalString
                return new String(content, java.nio.charset.Charset.forName("UTF-32BE"));
            default:
                return null;
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder result = new StringBuilder();
        for (byte b : bytes) {
            result.append(String.format("%02X", b & 0xFF));
        }
        return result.toString();
    }
}
