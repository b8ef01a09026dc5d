package io.culex.core.internal.protocol;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.AccessDecision;
import io.culex.api.EnhancedAuthResult;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.EnhancedAuthentication;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * MQTT 5 enhanced authentication of one connection: the AUTH exchange that replaces basic authentication before
 * CONNACK, and re-authentication after it. Each step asks the enhanced authenticators (or the one that answered
 * CONTINUE) and resumes on the connection's loop; the services' answer and the client's AUTH reply each have the
 * authentication time budget. Runs on the connection's loop.
 */
final class EnhancedAuthExchange {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final MqttConnection connection;
    private final Engine engine;
    /** The Authentication Method of CONNECT; {@code null}: basic authentication, AUTH packets are errors. */
    private String authenticationMethod;
    private byte[] connectAuthenticationData;
    /** The CONTINUE answer whose client reply is awaited; {@code null} when no reply is expected. */
    private EnhancedAuthentication.Answer authContinuation;
    /** A re-authentication after CONNACK is in progress (the connection keeps working meanwhile). */
    private boolean reauthenticating;
    /** Counts exchange steps, so that a late answer or the timer of an earlier step is recognised and ignored. */
    private int authStep;
    /** Authentication Data of the successful exchange, for CONNACK. */
    private byte[] connackAuthenticationData;
    /** The time budget of the current step: for the services' answer or for the client's AUTH reply. */
    private ScheduledFuture<?> timer;

    EnhancedAuthExchange(MqttConnection connection, Engine engine) {
        this.connection = connection;
        this.engine = engine;
    }

    /** The Authentication Method and Data of an MQTT 5 CONNECT; a {@code null} method: basic authentication. */
    void requestedInConnect(String method, byte[] data) {
        authenticationMethod = method;
        connectAuthenticationData = data;
    }

    /** @return whether the CONNECT asked for enhanced authentication */
    boolean isRequested() {
        return authenticationMethod != null;
    }

    /** The first step, with the CONNECT's Authentication Data; the CONNECT handshake resumes when it succeeds. */
    void start() {
        askEnhancedAuthenticator(connectAuthenticationData, null);
        connectAuthenticationData = null;
    }

    /** The Authentication Method and the Data of the successful exchange, for CONNACK. */
    void addConnackProperties(MqttProperties properties) {
        if (authenticationMethod != null) {
            properties.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD,
                    authenticationMethod));
            if (connackAuthenticationData != null) {
                properties.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA,
                        connackAuthenticationData));
                connackAuthenticationData = null;
            }
        }
    }

    /** The connection closed: the time budget of a step under way must not fire. */
    void cancelTimer() {
        MqttConnection.cancel(timer);
    }

    /**
     * One step of an enhanced authentication exchange: ask the services for the method to start (no continuation)
     * or the service that answered CONTINUE to proceed. The answer resumes on this connection's loop.
     */
    private void askEnhancedAuthenticator(byte[] data, EnhancedAuthentication.Answer continuation) {
        int step = ++authStep;
        EnhancedAuthContext request = new EnhancedAuthContext(connection.clientContext(), authenticationMethod, data,
                reauthenticating, continuation == null ? null : continuation.result().exchangeState());
        timer = connection.loop().schedule(() -> onEnhancedAnswer(step, null, "timed out"),
                engine.settings().authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        EnhancedAuthentication authentication = engine.enhancedAuthentication();
        CompletionStage<EnhancedAuthentication.Answer> answer = continuation == null
                ? authentication.start(request) : authentication.proceed(continuation, request);
        answer.whenComplete((a, failure) -> {
            String why = failure != null ? failure.toString() : null;
            connection.onLoop(() -> onEnhancedAnswer(step, a, why));
        });
    }

    /**
     * @param answer the services' answer, {@code null} when there is none (time-out, failure): DENY
     * @param problem why there is no answer, for the log
     */
    private void onEnhancedAnswer(int step, EnhancedAuthentication.Answer answer, String problem) {
        if (step != authStep || !isAuthenticatingEnhanced()) {
            return; // an earlier step's late answer or timer, or the connection ended meanwhile
        }
        MqttConnection.cancel(timer);
        EnhancedAuthResult result = answer == null ? EnhancedAuthResult.deny() : answer.result();
        switch (result.outcome()) {
            case SUCCESS:
                enhancedAuthenticationSucceeded(result.data());
                break;
            case CONTINUE:
                authContinuation = answer;
                awaitClientAuth(result.data());
                break;
            case DEFER:
                LOG.info("Client {}: no enhanced authenticator for method '{}'.", connection.clientContext().clientId(),
                        authenticationMethod);
                enhancedAuthenticationFailed(ReasonCodes.BAD_AUTHENTICATION_METHOD,
                        MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
                break;
            default:
                if (problem != null) {
                    LOG.warn("Client {}: enhanced authentication {}; denying.", connection.clientContext().clientId(),
                            problem);
                }
                enhancedAuthenticationFailed(ReasonCodes.NOT_AUTHORIZED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    /** @return whether an enhanced authentication exchange of this (still open) connection is under way */
    private boolean isAuthenticatingEnhanced() {
        MqttConnection.State state = connection.state();
        return authenticationMethod != null
                && (state == MqttConnection.State.AUTHENTICATING || state == MqttConnection.State.AWAIT_AUTH
                || state == MqttConnection.State.CONNECTED && reauthenticating);
    }

    private void enhancedAuthenticationSucceeded(byte[] data) {
        if (reauthenticating) {
            reauthenticating = false;
            LOG.info("Client {} re-authenticated ({}).", connection.clientContext().clientId(), authenticationMethod);
            connection.writeControl(Mqtt5Packets.auth(ReasonCodes.SUCCESS, authenticationMethod, data));
        } else {
            connackAuthenticationData = data;
            connection.handshake().onAuthenticated(AccessDecision.ALLOW, null);
        }
    }

    private void enhancedAuthenticationFailed(int reasonCode, MqttConnectReturnCode connackCode) {
        if (reauthenticating) {
            connection.logConnection("Client {} disconnected, re-authentication failed.",
                    connection.clientContext().clientId());
            connection.close("re-authentication failed", reasonCode);
        } else {
            connection.logConnection("Client {} disconnected, not authorised.", connection.clientContext().clientId());
            connection.refuse(connackCode);
        }
    }

    /**
     * Send AUTH "continue authentication" and wait, within the time budget, for the client's reply. Before CONNACK
     * reading resumes for it; after CONNACK the connection keeps working meanwhile.
     */
    private void awaitClientAuth(byte[] challenge) {
        int step = ++authStep;
        connection.writeControl(Mqtt5Packets.auth(ReasonCodes.CONTINUE_AUTHENTICATION, authenticationMethod,
                challenge));
        // set before the held packets replay: a reply among them cancels it
        timer = connection.loop().schedule(() -> onEnhancedAnswer(step, null, "timed out waiting for the client"),
                engine.settings().authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        if (connection.state() == MqttConnection.State.AUTHENTICATING) {
            connection.awaitAuthReply();
        }
    }

    /** An AUTH packet from the client: the reply to CONTINUE, or the start of a re-authentication. */
    void onAuth(MqttMessage packet) {
        if (!connection.isMqtt5() || authenticationMethod == null) {
            authProtocolError("AUTH without an Authentication Method in CONNECT");
            return;
        }
        MqttReasonCodeAndPropertiesVariableHeader header =
                (MqttReasonCodeAndPropertiesVariableHeader) packet.variableHeader();
        int reason = header.reasonCode() & 0xFF;
        String method = Mqtt5Packets.stringProperty(header.properties(), MqttProperties.AUTHENTICATION_METHOD);
        if (!authenticationMethod.equals(method)) {
            authProtocolError("AUTH with method '" + method + "', CONNECT had '" + authenticationMethod + "'");
            return;
        }
        byte[] data = Mqtt5Packets.binaryProperty(header.properties(), MqttProperties.AUTHENTICATION_DATA);
        if (reason == ReasonCodes.CONTINUE_AUTHENTICATION && authContinuation != null) {
            EnhancedAuthentication.Answer continuation = authContinuation;
            authContinuation = null;
            MqttConnection.cancel(timer);
            if (connection.state() == MqttConnection.State.AWAIT_AUTH) {
                connection.pauseForAuthentication();
            }
            askEnhancedAuthenticator(data, continuation);
        } else if (reason == ReasonCodes.REAUTHENTICATE && connection.state() == MqttConnection.State.CONNECTED
                && !reauthenticating) {
            reauthenticating = true;
            askEnhancedAuthenticator(data, null);
        } else {
            authProtocolError(String.format("AUTH with reason 0x%02X %s", reason,
                    reauthenticating ? "during re-authentication" : "out of sequence"));
        }
    }

    /** A packet other than AUTH while the client owes the broker an AUTH reply (MQTT-3.1.2-30 allows DISCONNECT). */
    void onPacketDuringAuthentication(MqttMessageType type) {
        if (type == MqttMessageType.DISCONNECT) {
            connection.abandon("disconnected during authentication");
        } else {
            authProtocolError(type + " before the end of enhanced authentication");
        }
    }

    /** An AUTH protocol error: before CONNACK, CONNACK 0x82; after, DISCONNECT 0x82. */
    private void authProtocolError(String what) {
        if (connection.state() == MqttConnection.State.CONNECTED) {
            connection.protocolViolation(what);
        } else {
            LOG.info("Client {} rejected: protocol error: {}.", connection.id(), what);
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
        }
    }
}
