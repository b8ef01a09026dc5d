package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One step of an MQTT 5 enhanced authentication exchange, as seen by an {@link EnhancedAuthenticator}: the client
 * and the data of its CONNECT or AUTH packet. Implemented by the broker; immutable.
 *
 * @since 1.2
 */
@ProviderType
public interface EnhancedAuthenticationRequest extends AuthenticationRequest {

    /** @return the Authentication Method of the client's CONNECT (every AUTH packet of the exchange repeats it) */
    String authenticationMethod();

    /**
     * @return a copy of the Authentication Data of this CONNECT or AUTH packet, or {@code null} if the packet
     *     carried none
     */
    @Nullable
    byte[] authenticationData();

    /**
     * @return {@code true} if a connected client asked to re-authenticate (AUTH reason 0x19); then
     *     {@link #password()} is {@code null}, since the broker does not keep passwords after CONNECT
     */
    boolean isReauthentication();

    /**
     * @return the state this service attached to its last {@link EnhancedAuthResult#continueWith(byte[], Object)
     *     CONTINUE} of this exchange; {@code null} in {@link EnhancedAuthenticator#start} and when none was given.
     *     The broker keeps it only for the exchange and drops it when the exchange ends or the client goes away,
     *     so a service needs no clean-up of its own.
     */
    @Nullable
    Object exchangeState();
}
