package io.culex.core.internal.protocol;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import io.culex.api.EnhancedAuthenticationRequest;
import io.culex.api.ProtocolVersion;

/**
 * One step of an enhanced authentication exchange, handed to an {@link io.culex.api.EnhancedAuthenticator}: the
 * client's facts plus the method, the data of the packet and the state of the previous step.
 */
final class EnhancedAuthContext implements EnhancedAuthenticationRequest {

    private final ClientContext client;
    private final String method;
    private final byte[] data;
    private final boolean reauthentication;
    private final Object exchangeState;

    EnhancedAuthContext(ClientContext client, String method, byte[] data, boolean reauthentication,
                        Object exchangeState) {
        this.client = client;
        this.method = method;
        this.data = data;
        this.reauthentication = reauthentication;
        this.exchangeState = exchangeState;
    }

    @Override
    public String authenticationMethod() {
        return method;
    }

    @Override
    public byte[] authenticationData() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean isReauthentication() {
        return reauthentication;
    }

    @Override
    public Object exchangeState() {
        return exchangeState;
    }

    @Override
    public byte[] password() {
        return client.password();
    }

    @Override
    public String clientId() {
        return client.clientId();
    }

    @Override
    public String username() {
        return client.username();
    }

    @Override
    public SocketAddress remoteAddress() {
        return client.remoteAddress();
    }

    @Override
    public int listenerPort() {
        return client.listenerPort();
    }

    @Override
    public String listener() {
        return client.listener();
    }

    @Override
    public ProtocolVersion protocolVersion() {
        return client.protocolVersion();
    }

    @Override
    public boolean isBridge() {
        return client.isBridge();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        return client.peerCertificates();
    }

    @Override
    public String toString() {
        return client + " " + method + (reauthentication ? " (re-authentication)" : "");
    }
}
