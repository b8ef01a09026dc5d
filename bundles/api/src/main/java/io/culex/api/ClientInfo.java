package io.culex.api;

import java.net.SocketAddress;

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

    /** @return the protocol version of the connection */
    ProtocolVersion protocolVersion();

    /**
     * @return {@code true} if the client announced itself as a bridge (the high bit of the protocol level,
     *     Mosquitto's {@code try_private}); bridges are not subject to ACL checks
     */
    boolean isBridge();
}
