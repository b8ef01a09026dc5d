package io.culex.api;

/**
 * Service properties the broker reads from the services of this API, in one place for plugin authors.
 *
 * @since 1.4
 */
public final class ServiceProperties {

    /**
     * Which configured security provider an {@link Authenticator} or {@link Authorizer} is (a String, e.g.
     * {@code password_file}, {@code acl_file}, {@code dynamic-security}). When the broker configuration requires a
     * provider, the broker fails closed until a service with this property is registered, in the provider's role:
     * a required authentication provider ({@code required_authenticators}) missing refuses new clients, connected
     * ones go on; a required authorization provider ({@code required_authorizers}) missing denies every ACL check
     * and refuses new clients; a name only in {@code required_providers} is needed in either role.
     */
    public static final String PROVIDER = "culex.provider";

    /**
     * Scopes an {@link Authenticator} or {@link Authorizer} to the clients of one listener (Mosquitto's
     * {@code per_listener_settings}): the listener's identity, {@link ClientInfo#listener()} (a String: the PID of
     * the listener's {@code io.culex.core.listener} configuration). Services without it (or {@link #LISTENER_PORT})
     * apply to every listener.
     */
    public static final String LISTENER = "culex.listener";

    /**
     * Scopes a service to the clients of the listeners on one port (an Integer). It cannot tell apart two listeners
     * on one port with different addresses, nor Unix-socket listeners (port -1): prefer {@link #LISTENER}, which
     * wins when both are set.
     */
    public static final String LISTENER_PORT = "culex.listener.port";

    /**
     * On a {@link Runnable} service: the broker runs it when it is told to reload, with the value {@code sighup}
     * (on SIGHUP, after re-reading the configuration), as Mosquitto re-reads its password and ACL files.
     */
    public static final String RELOAD = "culex.reload";

    /** {@link #RELOAD}'s value: run on SIGHUP. */
    public static final String RELOAD_ON_SIGHUP = "sighup";

    private ServiceProperties() {
    }
}
