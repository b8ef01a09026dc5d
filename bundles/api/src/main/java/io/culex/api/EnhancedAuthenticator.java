package io.culex.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * MQTT 5 enhanced authentication for one or more authentication methods (SCRAM, Kerberos, a token scheme, ...):
 * Mosquitto's {@code MOSQ_EVT_EXT_AUTH_START} and {@code MOSQ_EVT_EXT_AUTH_CONTINUE}.
 *
 * <h2>Registration</h2>
 * Register the service with the property {@value #METHOD_PROPERTY} naming the authentication method(s) it
 * implements: a {@code String} or a {@code String[]}, compared exactly (case-sensitive, as MQTT 5 method names
 * are). A service without the property is never called.
 *
 * <h2>The exchange</h2>
 * A client that puts an Authentication Method into CONNECT starts an exchange:
 * <ol>
 * <li>The broker calls {@link #start} on the services registered for that method, in {@code service.ranking}
 * order; the first answer that is not {@link EnhancedAuthResult.Outcome#DEFER DEFER} decides. If there is no
 * service for the method, or every one defers, the client receives CONNACK 0x8C "Bad authentication method", as
 * in Mosquitto.</li>
 * <li>{@link EnhancedAuthResult#continueWith CONTINUE} sends the client an AUTH packet (reason 0x18, "Continue
 * authentication") with the result's data; the client's next AUTH packet is passed to {@link #proceed} of the
 * <em>same</em> service, with the {@link EnhancedAuthenticationRequest#exchangeState() state} that service returned.
 * This repeats until the service answers SUCCESS or DENY. (Mosquitto offers the continuation to every plugin of the
 * method again; Culex keeps one service for a whole exchange, so a service never sees a half-done exchange it did not
 * start. A DEFER from {@code proceed}, and a service unregistered in the middle of an exchange, count as DENY.)</li>
 * <li>{@link EnhancedAuthResult#success SUCCESS} lets the client in: CONNACK 0x00 carrying the Authentication
 * Method and the result's data, if any. The basic {@link Authenticator} chain is not consulted (as Mosquitto does
 * when a plugin accepts enhanced authentication); {@link Authorizer}s apply as for every client.</li>
 * <li>{@link EnhancedAuthResult#deny DENY} refuses the client with CONNACK 0x87 "Not authorized".</li>
 * </ol>
 *
 * <h2>Re-authentication</h2>
 * A connected client that authenticated this way may send AUTH with reason 0x19 ("Re-authenticate") and the same
 * method at any time. The exchange then runs again from {@link #start} with
 * {@link EnhancedAuthenticationRequest#isReauthentication()} set, while the client keeps publishing and receiving
 * under its current authentication. SUCCESS answers AUTH 0x00; DENY (and a time-out or failure) disconnects the
 * client with DISCONNECT 0x87; no service left for the method (all defer) disconnects it with 0x8C.
 *
 * <h2>Answering</h2>
 * The calls run on the client's network thread and must not block. Answer with an already completed stage
 * ({@link java.util.concurrent.CompletableFuture#completedFuture(Object)}) when the answer is at hand, or complete
 * it later from any thread; the broker resumes on the client's thread. Calls for one client never overlap: the
 * broker waits for one answer (and for the client's reply) before it makes the next call.
 *
 * <h2>Time budget and failures</h2>
 * Each answer must come within the broker's authentication time budget (the same as for {@link Authenticator}:
 * {@code culex.authentication_timeout_ms}, 10 s by default), and so must each AUTH reply of the client. A late
 * answer, a method that throws, a {@code null} stage or result, or a stage completed exceptionally all count as
 * DENY: security fails closed. An answer that arrives after the client went away is ignored.
 */
@ConsumerType
public interface EnhancedAuthenticator {

    /**
     * The service property naming the MQTT 5 authentication method(s) the service implements ({@code String} or
     * {@code String[]}).
     */
    String METHOD_PROPERTY = "culex.auth.method";

    /**
     * Begin an exchange: the client's CONNECT, or its AUTH packet asking to re-authenticate.
     *
     * @param request the client, the method and the client's authentication data; its
     *     {@link EnhancedAuthenticationRequest#exchangeState() exchange state} is {@code null}
     * @return SUCCESS, CONTINUE, DENY or DEFER (let the next service for this method answer), possibly completed
     *     later; never {@code null}
     */
    CompletionStage<EnhancedAuthResult> start(EnhancedAuthenticationRequest request);

    /**
     * Continue an exchange this service kept going with {@link EnhancedAuthResult#continueWith}: the client answered
     * with another AUTH packet.
     *
     * @param request the client's AUTH data and the {@link EnhancedAuthenticationRequest#exchangeState() state} of
     *     the previous CONTINUE
     * @return SUCCESS, CONTINUE or DENY (DEFER counts as DENY here), possibly completed later; never {@code null}
     */
    CompletionStage<EnhancedAuthResult> proceed(EnhancedAuthenticationRequest request);
}
