package io.culex.api;

/**
 * The answer of one {@link Authenticator} or {@link Authorizer} in a chain.
 */
public enum Decision {
    /** Allow; the rest of the chain is not consulted. */
    ALLOW,
    /** Deny; the rest of the chain is not consulted. */
    DENY,
    /** No opinion: ask the next service in the chain. What "all deferred" means is written on each interface. */
    DEFER
}
