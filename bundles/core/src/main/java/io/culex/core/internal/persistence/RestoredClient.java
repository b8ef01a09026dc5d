package io.culex.core.internal.persistence;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.culex.api.ClientInfo;
import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedSession;

/**
 * The client a restored session belonged to, as far as the store knows it: what its will's access check needs.
 */
final class RestoredClient implements ClientInfo {

    private static final SocketAddress NOWHERE = InetSocketAddress.createUnresolved("restored", 0);

    private final PersistedSession session;

    RestoredClient(PersistedSession session) {
        this.session = session;
    }

    @Override
    public String clientId() {
        return session.clientId();
    }

    @Override
    public String username() {
        return session.username();
    }

    @Override
    public SocketAddress remoteAddress() {
        return NOWHERE;
    }

    @Override
    public int listenerPort() {
        return -1;
    }

    @Override
    public String listener() {
        return session.listener() == null ? "restored" : session.listener();
    }

    @Override
    public ProtocolVersion protocolVersion() {
        return session.protocolVersion();
    }

    @Override
    public boolean isBridge() {
        return false;
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return List.of();
    }

    @Override
    public String toString() {
        return session.clientId() + " (restored)";
    }
}
