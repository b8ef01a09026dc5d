package io.culex.core.internal.protocol;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.culex.api.AuthenticationRequest;
import io.culex.api.ProtocolVersion;

/**
 * The immutable facts about one connection's client, handed to extensions.
 */
final class ClientContext implements AuthenticationRequest {

    private final String clientId;
    private final String username;
    private final byte[] password;
    private final SocketAddress remoteAddress;
    private final int listenerPort;
    private final String listener;
    private final ProtocolVersion protocolVersion;
    private final List<X509Certificate> peerCertificates;
    private final boolean bridge;
    private final int keepAliveSeconds;

    ClientContext(String clientId, String username, byte[] password, SocketAddress remoteAddress, int listenerPort,
                  String listener, ProtocolVersion protocolVersion, List<X509Certificate> peerCertificates,
                  boolean bridge, int keepAliveSeconds) {
        this.bridge = bridge;
        this.keepAliveSeconds = keepAliveSeconds;
        this.clientId = clientId;
        this.username = username;
        this.password = password;
        this.remoteAddress = remoteAddress;
        this.listenerPort = listenerPort;
        this.listener = listener;
        this.protocolVersion = protocolVersion;
        this.peerCertificates = peerCertificates;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public int listenerPort() {
        return listenerPort;
    }

    @Override
    public String listener() {
        return listener;
    }

    @Override
    public ProtocolVersion protocolVersion() {
        return protocolVersion;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    @Override
    public boolean isBridge() {
        return bridge;
    }

    @Override
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** @return the same client under another client id */
    ClientContext withClientId(String newClientId) {
        return new ClientContext(newClientId, username, password, remoteAddress, listenerPort, listener, protocolVersion,
                peerCertificates, bridge, keepAliveSeconds);
    }

    /** @return the same client without the password, kept for the life of the session */
    ClientContext withoutPassword() {
        return password == null ? this
                : new ClientContext(clientId, username, null, remoteAddress, listenerPort, listener, protocolVersion,
                peerCertificates, bridge, keepAliveSeconds);
    }

    @Override
    public String toString() {
        return clientId + (username == null ? "" : " (u'" + username + "')");
    }
}
