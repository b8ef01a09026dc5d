package io.culex.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides whether a client may connect: Mosquitto's {@code MOSQ_EVT_BASIC_AUTH}.
 *
 * <h2>Chain</h2>
 * Authenticators are consulted in {@code service.ranking} order for every CONNECT; the first answer that is not
 * {@link Decision#DEFER} decides. If every registered authenticator defers, the client is allowed only if it sent
 * no user name and anonymous access is allowed ({@code allow_anonymous}). If no authenticator is registered at all
 * (and the configuration requires none), {@code allow_anonymous} alone decides.
 *
 * <h2>Answering</h2>
 * The call runs on the client's network thread and must not block. Answer with an already completed stage
 * ({@link java.util.concurrent.CompletableFuture#completedFuture(Object)}) when the answer is at hand, or complete
 * the stage later from any thread. A stage completed exceptionally, or a method that throws, counts as
 * {@link Decision#DENY}. The broker does not wait forever: an answer that takes longer than the broker's
 * authentication time budget counts as {@link Decision#DENY}.
 *
 * <h2>Outcome for the client</h2>
 * A denied client receives CONNACK "not authorized" (MQTT 3.1/3.1.1 return code 5) and is disconnected.
 */
@ConsumerType
public interface Authenticator {

    /**
     * Authenticate one connection attempt.
     *
     * @param request the client's CONNECT
     * @return the decision, possibly completed later; never {@code null}
     */
    CompletionStage<Decision> authenticate(AuthenticationRequest request);

    /**
     * Authenticate one connection attempt and say why a denial is one. The broker calls this method; the default
     * wraps {@link #authenticate}. Override it (and implement {@code authenticate} by delegating to it) to give an
     * MQTT 5 client a reason code (e.g. 0x86 bad user name or password, 0x8A banned, 0x9F connection rate exceeded)
     * and a reason string in its CONNACK.
     *
     * @param request the client's CONNECT
     * @return the decision, possibly completed later; never {@code null}
     * @since 1.5
     */
    default CompletionStage<AccessDecision> check(AuthenticationRequest request) {
        return authenticate(request).thenApply(d -> d == null ? null : AccessDecision.of(d));
    }
}
