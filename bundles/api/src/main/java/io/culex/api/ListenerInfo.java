package io.culex.api;

import java.net.SocketAddress;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A listener the broker is serving now, as {@link Broker#listeners()} reports it. Implemented by the broker;
 * immutable.
 *
 * @since 1.4
 */
@ProviderType
public interface ListenerInfo {

    /** @return where it is configured ({@code file:line} of its {@code listener} line, or its configuration PID) */
    String source();

    /** @return the addresses it is bound to (one per address family or interface address; a Unix socket path) */
    List<SocketAddress> addresses();

    /** @return the port configured (0: any free port, see {@link #addresses()}); -1 for a Unix socket */
    int port();

    /** @return {@code mqtt} or {@code websockets}, as the {@code protocol} option */
    String protocol();

    /** @return whether it speaks TLS */
    boolean tls();

    /** @return the listener's {@code mount_point}, or {@code null} */
    @Nullable
    String mountPoint();

    /** @return network connections open now (clients that sent CONNECT and those that have not yet) */
    int connections();
}
