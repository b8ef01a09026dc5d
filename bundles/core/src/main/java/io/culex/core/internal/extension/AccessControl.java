package io.culex.core.internal.extension;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Access;
import io.culex.api.AccessDecision;
import io.culex.api.AuthenticationRequest;
import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;

/**
 * Runs the authenticator and authorizer chains with Mosquitto's rules: first non-DEFER answer wins; all deferred
 * means deny, except that basic auth then allows a client without user name when anonymous access is allowed; no
 * service at all means {@code allow_anonymous} decides for authentication and allow for authorization. A service
 * that throws or fails counts as DENY (fail closed) and is logged with its bundle.
 */
public final class AccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private final Extensions extensions;
    private volatile java.util.List<String> requiredProviders = java.util.List.of();

    public AccessControl(Extensions extensions) {
        this.extensions = extensions;
    }

    /** @param required provider names the configuration requires (fail closed while one is missing) */
    public void requireProviders(java.util.List<String> required) {
        requiredProviders = required;
    }

    /**
     * @param request the CONNECT
     * @param anonymousAllowed the effective {@code allow_anonymous}
     * @return the decision, ALLOW or DENY (never DEFER) with the service's reason, possibly completed later on
     *     another thread
     */
    public CompletionStage<AccessDecision> authenticate(AuthenticationRequest request, boolean anonymousAllowed) {
        ServiceChain.Entry<Authenticator>[] chain = applicable(extensions.authenticators.snapshot(), request);
        if (chain.length == 0) {
            return CompletableFuture.completedFuture(anonymousAllowed ? AccessDecision.ALLOW : AccessDecision.DENY);
        }
        AccessDecision allDeferred = request.username() == null && anonymousAllowed ? AccessDecision.ALLOW
                : AccessDecision.DENY;
        return ask(chain, 0, request, allDeferred);
    }

    /** @return the services that apply to the listener (all of them unless some are scoped to listeners) */
    private static <T> ServiceChain.Entry<T>[] applicable(ServiceChain.Entry<T>[] chain, ClientInfo client) {
        int applying = 0;
        for (ServiceChain.Entry<T> entry : chain) {
            if (entry.appliesTo(client)) {
                applying++;
            }
        }
        if (applying == chain.length) {
            return chain;
        }
        ServiceChain.Entry<T>[] result = java.util.Arrays.copyOf(chain, applying);
        int i = 0;
        for (ServiceChain.Entry<T> entry : chain) {
            if (entry.appliesTo(client)) {
                result[i++] = entry;
            }
        }
        return result;
    }

    private CompletionStage<AccessDecision> ask(ServiceChain.Entry<Authenticator>[] chain, int index,
                                                AuthenticationRequest request, AccessDecision allDeferred) {
        if (index == chain.length) {
            return CompletableFuture.completedFuture(allDeferred);
        }
        ServiceChain.Entry<Authenticator> entry = chain[index];
        if (!entry.enter()) {
            // being unregistered: as if this event had started a moment later, without it
            return ask(chain, index + 1, request, allDeferred);
        }
        CompletionStage<AccessDecision> answer;
        try {
            answer = entry.service().check(request);
            if (answer == null) {
                throw new NullPointerException("check returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Authenticator from {} failed for client {}; denying: {}", entry.origin(), request.clientId(),
                    e.toString(), e);
            return CompletableFuture.completedFuture(AccessDecision.DENY);
        } finally {
            entry.exit();
        }
        CompletableFuture<AccessDecision> immediate = answer.toCompletableFuture();
        if (immediate.isDone() && !immediate.isCompletedExceptionally()) {
            // the common, synchronous case: no extra stage, no thread hop
            AccessDecision d = immediate.join();
            return d != null && d.decision() == Decision.DEFER ? ask(chain, index + 1, request, allDeferred)
                    : CompletableFuture.completedFuture(d == null ? AccessDecision.DENY : d);
        }
        return answer.handle((d, failure) -> {
            if (failure != null) {
                LOG.error("Authenticator from {} failed for client {}; denying: {}", entry.origin(),
                        request.clientId(), failure.toString());
                return CompletableFuture.completedFuture(AccessDecision.DENY);
            }
            if (d != null && d.decision() == Decision.DEFER) {
                return ask(chain, index + 1, request, allDeferred);
            }
            return CompletableFuture.completedFuture(d == null ? AccessDecision.DENY : d);
        }).thenCompose(stage -> stage);
    }

    /** The service property naming which configured security provider a service is. */
    public static final String PROVIDER_PROPERTY = io.culex.api.ServiceProperties.PROVIDER;

    /**
     * Fail closed: a provider the configuration requires must be registered.
     *
     * @param required the required provider names
     * @return the first required provider with no registered service, or {@code null} when all are there
     */
    public String missingProvider(java.util.List<String> required) {
        for (String name : required) {
            if (!isRegistered(extensions.authenticators, name) && !isRegistered(extensions.authorizers, name)) {
                return name;
            }
        }
        return null;
    }

    private static boolean isRegistered(ServiceChain<?> chain, String provider) {
        for (ServiceChain.Entry<?> entry : chain.snapshot()) {
            if (provider.equals(entry.reference().getProperty(PROVIDER_PROPERTY))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the access is allowed; bridges are not checked; no authorizer at all allows
     */
    public boolean isAllowed(ClientInfo client, Access access, String topic, int qos, boolean retain) {
        return check(client, access, topic, qos, retain).decision() == Decision.ALLOW;
    }

    /**
     * @return ALLOW or DENY, with the deciding service's reason for a denial; no authorizer at all allows. A client
     *     that announced itself as a bridge is checked like any other (as Mosquitto checks incoming bridges): the
     *     bit is the client's claim, not a credential
     */
    public AccessDecision check(ClientInfo client, Access access, String topic, int qos, boolean retain) {
        if (!requiredProviders.isEmpty()) {
            String missing = missingProvider(requiredProviders);
            if (missing != null) {
                LOG.warn("Denied {} of {} to {}: the configuration requires {}, which is not running.", access,
                        topic, client.clientId(), missing);
                return AccessDecision.DENY;
            }
        }
        ServiceChain.Entry<Authorizer>[] chain = extensions.authorizers.snapshot();
        boolean anyApplies = false;
        for (ServiceChain.Entry<Authorizer> entry : chain) {
            if (!entry.appliesTo(client)) {
                continue;
            }
            if (!entry.enter()) {
                continue; // being unregistered: skipped as if already gone
            }
            anyApplies = true;
            AccessDecision d;
            try {
                d = entry.service().check(client, access, topic, qos, retain);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Authorizer from {} failed for client {} ({} {}); denying: {}", entry.origin(),
                        client.clientId(), access, topic, e.toString(), e);
                return AccessDecision.DENY;
            } finally {
                entry.exit();
            }
            if (d == null) {
                LOG.error("Authorizer from {} returned null for client {}; denying", entry.origin(),
                        client.clientId());
                return AccessDecision.DENY;
            }
            if (d.decision() != Decision.DEFER) {
                return d;
            }
        }
        // none applies to this listener: as if none were registered
        return anyApplies ? AccessDecision.DENY : AccessDecision.ALLOW;
    }
}
