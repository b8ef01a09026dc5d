package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A client's CONNECT, as seen by an {@link Authenticator}. Implemented by the broker.
 */
@ProviderType
public interface AuthenticationRequest extends ClientInfo {

    /**
     * @return a copy of the password bytes from CONNECT (MQTT passwords are binary), or {@code null} if the client
     *     sent none
     */
    @Nullable
    byte[] password();
}
