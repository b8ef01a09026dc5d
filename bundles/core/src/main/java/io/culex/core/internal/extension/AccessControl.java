package io.culex.core.internal.extension;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 *
 * <p>Fail closed: the providers the configuration requires are checked in their role (see {@link Requirements}),
 * on the same snapshot of the chain that then decides, and a required provider whose unregistration has begun
 * (its entry refuses calls) counts as missing, never as "not registered, so the others decide".
 */
public final class AccessControl {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
    /** CONNACK reason for a client refused because a required provider is not running ("server unavailable"). */
    static final int SERVER_UNAVAILABLE = 0x88;

    private final Extensions extensions;
    private volatile Requirements requirements = Requirements.NONE;

    /**
     * The security providers the configuration requires (fail closed), by role:
     * <ul>
     * <li>{@code authenticators}: authentication needs an {@link Authenticator} with this {@code culex.provider};
     * while there is none, clients are refused ("server unavailable"); connected clients are not affected
     * (their authentication is done);</li>
     * <li>{@code authorizers}: every ACL check needs an {@link Authorizer} with this {@code culex.provider}; while
     * there is none, every check denies;</li>
     * <li>{@code either}: a name whose role the configuration does not say (only {@code required_providers}):
     * a service of either kind must be registered, and while there is none, clients are refused and every ACL
     * check denies.</li>
     * </ul>
     */
    private static final class Requirements {
        static final Requirements NONE = new Requirements(List.of(), List.of(), List.of());

        private final List<String> authenticators;
        private final List<String> authorizers;
        private final List<String> either;

        Requirements(List<String> authenticators, List<String> authorizers, List<String> either) {
            this.authenticators = authenticators;
            this.authorizers = authorizers;
            this.either = either;
        }

        List<String> authenticators() {
            return authenticators;
        }

        List<String> authorizers() {
            return authorizers;
        }

        List<String> either() {
            return either;
        }

        boolean isEmpty() {
            return authenticators.isEmpty() && authorizers.isEmpty() && either.isEmpty();
        }
    }

    public AccessControl(Extensions extensions) {
        this.extensions = extensions;
    }

    /**
     * @param required provider names the configuration requires ({@code required_providers}); a name that is in
     *     neither of the other two lists is needed in either role
     * @param authenticators the required names that are authentication providers ({@code required_authenticators})
     * @param authorizers the required names that are authorization providers ({@code required_authorizers})
     */
    public void requireProviders(List<String> required, List<String> authenticators, List<String> authorizers) {
        Set<String> authentication = new LinkedHashSet<>(authenticators);
        Set<String> authorization = new LinkedHashSet<>(authorizers);
        List<String> either = new ArrayList<>();
        for (String name : required) {
            if (!authentication.contains(name) && !authorization.contains(name)) {
                either.add(name);
            }
        }
        requirements = new Requirements(List.copyOf(authentication), List.copyOf(authorization), List.copyOf(either));
    }

    /**
     * @param request the CONNECT
     * @param anonymousAllowed the effective {@code allow_anonymous}
     * @return the decision, ALLOW or DENY (never DEFER) with the service's reason, possibly completed later on
     *     another thread
     */
    public CompletionStage<AccessDecision> authenticate(AuthenticationRequest request, boolean anonymousAllowed) {
        ServiceChain.Entry<Authenticator>[] registered = extensions.authenticators.snapshot();
        // decided on the one snapshot that authenticates: a required authenticator that left after the CONNECT
        // passed the wait for providers must not leave the decision to the others (or to allow_anonymous)
        String missing = firstMissing(requirements.authenticators(), registered);
        if (missing != null) {
            return CompletableFuture.completedFuture(providerNotRunning(request, missing));
        }
        ServiceChain.Entry<Authenticator>[] chain = applicable(registered, request);
        if (chain.length == 0) {
            return CompletableFuture.completedFuture(anonymousAllowed ? AccessDecision.ALLOW : AccessDecision.DENY);
        }
        AccessDecision allDeferred = request.username() == null && anonymousAllowed ? AccessDecision.ALLOW
                : AccessDecision.DENY;
        return ask(chain, 0, request, allDeferred);
    }

    private static AccessDecision providerNotRunning(ClientInfo client, String provider) {
        LOG.warn("Refusing client {}: the configuration requires {}, which is not running.", client.clientId(),
                provider);
        return AccessDecision.deny(SERVER_UNAVAILABLE, "the configured " + provider + " is not running");
    }

    /** @return the first of {@code names} that no entry of the chain provides, or {@code null} */
    private static String firstMissing(List<String> names, ServiceChain.Entry<?>[] chain) {
        for (String name : names) {
            if (!provides(chain, name)) {
                return name;
            }
        }
        return null;
    }

    private static boolean provides(ServiceChain.Entry<?>[] chain, String provider) {
        for (ServiceChain.Entry<?> entry : chain) {
            if (provider.equals(entry.reference().getProperty(PROVIDER_PROPERTY))) {
                return true;
            }
        }
        return false;
    }

    /** @return the entry's {@code culex.provider} if the configuration requires it in the given role */
    private static String requiredProvider(ServiceChain.Entry<?> entry, List<String> required) {
        if (required.isEmpty()) {
            return null;
        }
        Object provider = entry.reference().getProperty(PROVIDER_PROPERTY);
        return provider != null && required.contains(provider.toString()) ? provider.toString() : null;
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
            String required = requiredProvider(entry, requirements.authenticators());
            if (required != null) {
                // a required provider leaving: as if this event had started a moment later, when it was missing
                return CompletableFuture.completedFuture(providerNotRunning(request, required));
            }
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
     * Fail closed: the providers the configuration requires must be registered, each in its role, before a client
     * is let in.
     *
     * @return the first required provider with no registered service in its role, or {@code null} when all are there
     */
    public String missingProvider() {
        Requirements r = requirements;
        if (r.isEmpty()) {
            return null;
        }
        ServiceChain.Entry<Authenticator>[] authentication = extensions.authenticators.snapshot();
        ServiceChain.Entry<Authorizer>[] authorization = extensions.authorizers.snapshot();
        String missing = firstMissing(r.authenticators(), authentication);
        if (missing == null) {
            missing = firstMissing(r.authorizers(), authorization);
        }
        return missing != null ? missing : missingInEitherRole(r.either(), authentication, authorization);
    }

    private static String missingInEitherRole(List<String> names, ServiceChain.Entry<?>[] authentication,
                                              ServiceChain.Entry<?>[] authorization) {
        for (String name : names) {
            if (!provides(authentication, name) && !provides(authorization, name)) {
                return name;
            }
        }
        return null;
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
        Requirements r = requirements;
        // one snapshot decides both whether the required authorizers are there and what they answer
        ServiceChain.Entry<Authorizer>[] chain = extensions.authorizers.snapshot();
        if (!r.isEmpty()) {
            String missing = firstMissing(r.authorizers(), chain);
            if (missing == null && !r.either().isEmpty()) {
                missing = missingInEitherRole(r.either(), extensions.authenticators.snapshot(), chain);
            }
            if (missing != null) {
                return providerMissing(client, access, topic, missing);
            }
        }
        boolean anyApplies = false;
        for (ServiceChain.Entry<Authorizer> entry : chain) {
            if (!entry.appliesTo(client)) {
                continue;
            }
            if (!entry.enter()) {
                String required = requiredProvider(entry, r.authorizers());
                if (required != null) {
                    // a required authorizer leaving: as if the check had come a moment later, when it was missing
                    return providerMissing(client, access, topic, required);
                }
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

    private static AccessDecision providerMissing(ClientInfo client, Access access, String topic, String provider) {
        LOG.warn("Denied {} of {} to {}: the configuration requires {}, which is not running.", access, topic,
                client.clientId(), provider);
        return AccessDecision.DENY;
    }
}
