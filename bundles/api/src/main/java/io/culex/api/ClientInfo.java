package io.culex.api;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the broker knows about a connected (or last connected) client. Implemented by the broker; a snapshot of
 * immutable facts that stays valid after the client disconnects.
 */
@ProviderType
public interface ClientInfo {

    /** @return the client identifier (assigned by the broker if the client sent an empty one) */
    String clientId();

    /** @return the user name from CONNECT, or {@code null} if the client sent none */
    @Nullable
    String username();

    /** @return the remote address of the network connection */
    SocketAddress remoteAddress();

    /** @return the local port of the listener the client connected to, or -1 for a non-TCP listener */
    int listenerPort();

    /**
     * @return the identity of the listener the client connected to: the PID of its {@code io.culex.core.listener}
     *     configuration, unique even among listeners that share a port or have none (Unix sockets). Services
     *     scoped with {@link ServiceProperties#LISTENER} are compared with it. The default, for implementations
     *     older than 1.4, is {@code "port:<listenerPort>"}.
     * @since 1.4
     */
    default String listener() {
        return "port:" + listenerPort();
    }

    /** @return the protocol version of the connection */
    ProtocolVersion protocolVersion();

    /**
     * @return {@code true} if the client announced itself as a bridge from another broker (the high bit of the MQTT
     *     3.x protocol level, Mosquitto's {@code try_private}): the broker does not send its own messages back to
     *     it and gives it the retain flag as published. It is authenticated and authorized like every client
     *     (since 1.5; as Mosquitto does for incoming bridges): the bit is the client's claim, not a credential
     */
    boolean isBridge();

    /**
     * The keep alive the connection runs with: the client's from its CONNECT, or the Server Keep Alive the broker
     * gave an MQTT 5 client that asked for more than {@code max_keepalive}; 0 means no keep alive (and is what a
     * client restored from a store, not connected yet, reports).
     *
     * <p>The broker implements this interface; the default exists only so that test doubles written against 1.5
     * still compile.
     *
     * @return seconds, 0 to 65535
     * @since 1.6
     */
    default int keepAliveSeconds() {
        return 0;
    }

    /**
     * The certificate chain the client presented in the TLS handshake, as verified by the listener against its
     * {@code cafile}/{@code capath}: the client's own certificate first, then the intermediate CAs it sent.
     * Mosquitto's {@code mosquitto_client_certificate()}.
     *
     * <p>Empty when the client connected without TLS, or over TLS without a client certificate (a listener asks for
     * one only with {@code require_certificate true}). With {@code use_identity_as_username} or
     * {@code use_subject_as_username} the {@link #username()} was taken from the first certificate.
     *
     * @return an unmodifiable list, possibly empty
     * @since 1.1
     */
    List<X509Certificate> peerCertificates();
}
