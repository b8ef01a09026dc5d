package io.culex.api.persistence;

import java.util.Objects;

import io.culex.api.Nullable;
import io.culex.api.ProtocolVersion;

/**
 * A session that outlives its connection, as stored: who it belongs to, how long it lives, and its will.
 *
 * @param clientId the client identifier (the key)
 * @param username the user name it connected with last, or {@code null}
 * @param listener the identity of the listener it connected through last ({@code ClientInfo.listener()}), or
 *     {@code null} if unknown; listener-scoped ACLs check its will with it
 * @param protocolVersion the protocol it connected with last
 * @param expirySeconds seconds it outlives its connection; {@link #NEVER_EXPIRES} for never
 * @param disconnectedAtMillis epoch milliseconds at which its connection ended, or {@link #CONNECTED} while it is
 *     connected; a session restored as connected is treated as disconnected at restore (the broker stopped)
 * @param will the will to publish when the connection ends (while connected) or when its delay passes (after),
 *     or {@code null}
 * @param willDelaySeconds the MQTT 5 will delay interval of {@code will} (0 for none)
 * @since 1.0
 */
public record PersistedSession(String clientId, @Nullable String username, @Nullable String listener,
                               ProtocolVersion protocolVersion, long expirySeconds, long disconnectedAtMillis,
                               @Nullable PersistedMessage will, long willDelaySeconds) {

    /** {@link #expirySeconds()} of a session that never expires. */
    public static final long NEVER_EXPIRES = Long.MAX_VALUE;

    /** {@link #disconnectedAtMillis()} of a session whose client is connected. */
    public static final long CONNECTED = 0;

    public PersistedSession {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(protocolVersion, "protocolVersion");
        if (expirySeconds <= 0) {
            throw new IllegalArgumentException("a persisted session has an expiry > 0: " + expirySeconds);
        }
    }
}
