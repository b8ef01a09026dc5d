package io.culex.core.internal.extension;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.EnhancedAuthResult;
import io.culex.api.EnhancedAuthenticationRequest;
import io.culex.api.EnhancedAuthenticator;

/**
 * Runs the {@link EnhancedAuthenticator} services of one authentication method with Mosquitto's rules for
 * {@code MOSQ_EVT_EXT_AUTH_START}: the services registered for the method in chain order, the first answer that is not
 * DEFER wins, all deferred (or none registered) means "bad authentication method". A continuation goes to the service
 * that asked for it. A service that throws, returns {@code null} or fails its stage counts as DENY (fail closed) and
 * is logged with its bundle.
 */
public final class EnhancedAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(EnhancedAuthentication.class);

    /** One service's answer and who gave it: the service to continue the exchange with. */
    public static final class Answer {
        private static final Answer NO_SERVICE = new Answer(EnhancedAuthResult.defer(), null);

        private final EnhancedAuthResult result;
        private final ServiceChain.Entry<EnhancedAuthenticator> answeredBy;

        private Answer(EnhancedAuthResult result, ServiceChain.Entry<EnhancedAuthenticator> answeredBy) {
            this.result = result;
            this.answeredBy = answeredBy;
        }

        /** @return the outcome; DEFER only when no service for the method took the exchange */
        public EnhancedAuthResult result() {
            return result;
        }
    }

    private final ServiceChain<EnhancedAuthenticator> services;

    public EnhancedAuthentication(Extensions extensions) {
        this.services = extensions.enhancedAuthenticators;
    }

    /**
     * Ask the services registered for the request's method, in chain order.
     *
     * @return the first answer that is not DEFER, or a DEFER answer if every service deferred or none is
     *     registered; possibly completed later on another thread, never exceptionally
     */
    public CompletionStage<Answer> start(EnhancedAuthenticationRequest request) {
        return ask(services.snapshot(), 0, request);
    }

    private CompletionStage<Answer> ask(ServiceChain.Entry<EnhancedAuthenticator>[] chain, int from,
                                        EnhancedAuthenticationRequest request) {
        for (int i = from; i < chain.length; i++) {
            ServiceChain.Entry<EnhancedAuthenticator> entry = chain[i];
            if (!implementsMethod(entry, request.authenticationMethod())) {
                continue;
            }
            int next = i + 1;
            return call(entry, request, "start", s -> s.start(request)).thenCompose(answer ->
                    answer.result.outcome() == EnhancedAuthResult.Outcome.DEFER
                            ? ask(chain, next, request)
                            : CompletableFuture.completedFuture(answer));
        }
        return CompletableFuture.completedFuture(Answer.NO_SERVICE);
    }

    /**
     * Pass the client's reply to the service that answered CONTINUE before.
     *
     * @param previous that CONTINUE answer
     * @return the service's answer; DENY if it deferred, failed or is no longer registered; possibly completed later
     *     on another thread, never exceptionally
     */
    public CompletionStage<Answer> proceed(Answer previous, EnhancedAuthenticationRequest request) {
        ServiceChain.Entry<EnhancedAuthenticator> entry = previous.answeredBy;
        if (entry == null || !isRegistered(entry)) {
            LOG.warn("Enhanced authenticator for method {} went away during the exchange of client {}; denying.",
                    request.authenticationMethod(), request.clientId());
            return CompletableFuture.completedFuture(new Answer(EnhancedAuthResult.deny(), entry));
        }
        return call(entry, request, "proceed", s -> s.proceed(request)).thenApply(answer -> {
            if (answer.result.outcome() != EnhancedAuthResult.Outcome.DEFER) {
                return answer;
            }
            LOG.warn("Enhanced authenticator from {} deferred in the middle of the exchange of client {}; denying.",
                    entry.origin(), request.clientId());
            return new Answer(EnhancedAuthResult.deny(), entry);
        });
    }

    private static CompletionStage<Answer> call(ServiceChain.Entry<EnhancedAuthenticator> entry,
                                                EnhancedAuthenticationRequest request, String step,
                                                Function<EnhancedAuthenticator,
                                                        CompletionStage<EnhancedAuthResult>> invocation) {
        if (!entry.enter()) {
            // being unregistered: as if already gone (the next service, or DENY in the middle of an exchange)
            return CompletableFuture.completedFuture(new Answer(EnhancedAuthResult.defer(), entry));
        }
        CompletionStage<EnhancedAuthResult> stage;
        try {
            stage = invocation.apply(entry.service());
            if (stage == null) {
                throw new NullPointerException(step + " returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Enhanced authenticator from {} failed ({}) for client {}; denying: {}", entry.origin(), step,
                    request.clientId(), e.toString(), e);
            return CompletableFuture.completedFuture(new Answer(EnhancedAuthResult.deny(), entry));
        } finally {
            entry.exit();
        }
        return stage.handle((result, failure) -> {
            if (failure != null || result == null) {
                LOG.error("Enhanced authenticator from {} failed ({}) for client {}; denying: {}", entry.origin(),
                        step, request.clientId(), failure == null ? "null result" : failure.toString());
                return new Answer(EnhancedAuthResult.deny(), entry);
            }
            return new Answer(result, entry);
        });
    }

    /** @return whether a service is registered for the method now */
    public boolean supports(String method) {
        for (ServiceChain.Entry<EnhancedAuthenticator> entry : services.snapshot()) {
            if (implementsMethod(entry, method)) {
                return true;
            }
        }
        return false;
    }

    private boolean isRegistered(ServiceChain.Entry<EnhancedAuthenticator> entry) {
        for (ServiceChain.Entry<EnhancedAuthenticator> e : services.snapshot()) {
            if (e == entry) {
                return true;
            }
        }
        return false;
    }

    private static boolean implementsMethod(ServiceChain.Entry<?> entry, String method) {
        Object property = entry.reference().getProperty(EnhancedAuthenticator.METHOD_PROPERTY);
        if (property instanceof String) {
            return property.equals(method);
        }
        if (property instanceof String[]) {
            for (String name : (String[]) property) {
                if (method.equals(name)) {
                    return true;
                }
            }
            return false;
        }
        return property instanceof Collection && ((Collection<?>) property).contains(method);
    }
}
