package io.culex.core.internal.protocol;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.AccessDecision;
import io.culex.api.Decision;
import io.culex.api.ProtocolVersion;
import io.culex.api.SessionOwnership;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.ServiceChain;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.transport.PeerIdentity;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The CONNECT handshake of one connection, from the CONNECT packet to the request for its session: validation, the
 * client id (assigned when empty), keepalive, the will, the MQTT 5 CONNECT properties, the wait for the security
 * providers the configuration requires, basic authentication (or the start of enhanced authentication, which
 * replaces it) and opening the session. The connection answers with CONNACK once the session is ready; this class
 * gives it the MQTT 5 CONNACK properties and keeps what the CONNECT asked for, which the connection consults for
 * its whole life. Runs on the connection's loop.
 */
final class ConnectHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** How long a CONNECT waits for a required security provider that is not running before it is refused. */
    static final long REQUIRED_PROVIDER_GRACE_MILLIS = 2_000;
    private static final long REQUIRED_PROVIDER_POLL_MILLIS = 25;
    /** How long a CONNECT waits for {@link SessionOwnership#claim} (its Javadoc promises 10 s). */
    private static final long CLAIM_TIMEOUT_SECONDS = 10;

    private final MqttConnection connection;
    private final Engine engine;
    private final ListenerSettings listener;
    private final int listenerPort;
    private final EnhancedAuthExchange enhancedAuth;
    /** The next poll for a missing required provider, or the time budget of basic authentication. */
    private ScheduledFuture<?> timer;

    // what the CONNECT asked for
    private boolean mqtt5;
    private boolean cleanSession;
    private int keepAliveSeconds;
    private long sessionExpirySeconds;
    private int clientReceiveMaximum = 65535;
    private long clientMaximumPacketSize;
    private boolean assignedClientId;
    private int serverKeepAlive = -1;
    private boolean requestProblemInformation = true;

    ConnectHandshake(MqttConnection connection, Engine engine, ListenerSettings listener, int listenerPort,
                     EnhancedAuthExchange enhancedAuth) {
        this.connection = connection;
        this.engine = engine;
        this.listener = listener;
        this.listenerPort = listenerPort;
        this.enhancedAuth = enhancedAuth;
    }

    /**
     * The connection's first CONNECT (the connection has checked that it is the first and stopped its CONNECT
     * timer). Ends with the connection refused or closed for a protocol error, or authenticating.
     */
    void onConnect(MqttConnectMessage connect) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        ProtocolVersion version = header.version() == 3 ? ProtocolVersion.MQTT_3_1
                : header.version() == 4 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;
        // known before any refusal: an MQTT 5 CONNACK carries MQTT 5 reason codes
        mqtt5 = version == ProtocolVersion.MQTT_5;
        if (mqtt5 && !readConnectProperties(header.properties())) {
            return;
        }
        if (header.isWillFlag()) {
            if (header.willQos() > 2 || !Topics.isValidTopicName(payload.willTopic())) {
                connection.protocolViolation("invalid will");
                return;
            }
        } else if (header.willQos() != 0 || header.isWillRetain()) {
            connection.protocolViolation("will QoS or retain set without will flag");
            return;
        }
        if (header.hasPassword() && !header.hasUserName() && !mqtt5) { // MQTT 5 allows a password alone
            connection.protocolViolation("password without user name");
            return;
        }
        String username = header.hasUserName() ? payload.userName() : null;
        if (username != null && !Topics.isValidText(username)) {
            connection.protocolViolation("invalid user name");
            return;
        }
        BrokerSettings settings = engine.settings();
        String clientId = payload.clientIdentifier();
        if (!Topics.isValidText(clientId)) {
            LOG.info("Client {} rejected: invalid client identifier.", MqttConnection.address(connection.remote()));
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        if (clientId.isEmpty()) {
            // MQTT 5 lets the server assign an id whatever Clean Start says; 3.1.1 only with clean session
            boolean zeroLengthAllowed = listener.allowZeroLengthClientId != null
                    ? listener.allowZeroLengthClientId : settings.allowZeroLengthClientId;
            if ((!header.isCleanSession() && !mqtt5) || !zeroLengthAllowed) {
                LOG.info("Client {} rejected: empty client identifier{}.", MqttConnection.address(connection.remote()),
                        header.isCleanSession() ? " not allowed" : " with clean session false");
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return;
            }
            clientId = (listener.autoIdPrefix != null ? listener.autoIdPrefix : settings.autoIdPrefix) + UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
            assignedClientId = true;
        }
        if (mqtt5 && header.keepAliveTimeSeconds() > settings.maxKeepalive) {
            // MQTT 5 can tell the client: Server Keep Alive in CONNACK
            serverKeepAlive = settings.maxKeepalive;
        } else if (header.keepAliveTimeSeconds() > settings.maxKeepalive) {
            // MQTT 3.x cannot be told a server keepalive: Mosquitto refuses such clients
            LOG.info("Client {} rejected: keepalive {} is above max_keepalive {}.", clientId,
                    header.keepAliveTimeSeconds(), settings.maxKeepalive);
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        PeerIdentity identity = PeerIdentity.of(connection.channel(), listener);
        if (identity.refusal() != null) {
            connection.logConnection("Client {} disconnected, not authorised: {}.", clientId, identity.refusal());
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
        if (identity.replacesUsername()) {
            // as Mosquitto: the certificate is the credential, what CONNECT carried is dropped
            username = identity.username();
            password = null;
        }
        boolean bridge = Boolean.TRUE.equals(connection.channel().attr(BridgeProtocolLevel.BRIDGE).get());
        keepAliveSeconds = serverKeepAlive >= 0 ? serverKeepAlive : header.keepAliveTimeSeconds();
        connection.setClientContext(new ClientContext(clientId, username, password, connection.remote(), listenerPort,
                listener.id, version, identity.certificates(), bridge, keepAliveSeconds));
        cleanSession = header.isCleanSession();
        if (!mqtt5) {
            long expiration = settings.persistentClientExpirationSeconds;
            sessionExpirySeconds = cleanSession ? 0 : expiration > 0 ? expiration : Session.NEVER_EXPIRES;
        }
        byte[] willBytes = header.isWillFlag() ? payload.willMessageInBytes() : null;
        if (willBytes != null && settings.messageSizeLimit > 0 && willBytes.length > settings.messageSizeLimit) {
            // as Mosquitto: refused at once rather than accepted and dropped when the will is due
            LOG.info("Client {} rejected: will payload of {} bytes is above message_size_limit {}.", clientId,
                    willBytes.length, settings.messageSizeLimit);
            connection.refuse(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        if (header.isWillFlag()) {
            byte[] willPayload = willBytes;
            MqttProperties willProperties = payload.willProperties();
            long willDelaySeconds = 0;
            long expiresAt = Long.MAX_VALUE;
            MessageProperties forwarded = MessageProperties.NONE;
            if (mqtt5 && willProperties != null) {
                Integer delay = Mqtt5Packets.intProperty(willProperties, MqttProperties.WILL_DELAY_INTERVAL);
                willDelaySeconds = delay == null ? 0 : Integer.toUnsignedLong(delay);
                Integer expiry = Mqtt5Packets.intProperty(willProperties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
                if (expiry != null) {
                    expiresAt = Message.expiryFromNow(Integer.toUnsignedLong(expiry));
                }
                forwarded = MessageProperties.of(willProperties);
            }
            // the payload is a copy the decoder made; the connection owns the will from here and releases it
            connection.setWill(new Message(connection.mounted(payload.willTopic()),
                    willPayload == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(willPayload),
                    header.willQos(), header.isWillRetain(), clientId, forwarded, expiresAt), willDelaySeconds);
        }
        connection.pauseForAuthentication();
        boolean usernameFromCertificate = identity.replacesUsername();
        authenticateWhenProvidersRun(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                Math.min(settings.authenticationTimeoutMillis, REQUIRED_PROVIDER_GRACE_MILLIS)),
                usernameFromCertificate);
    }

    /**
     * Fail closed: never let a client in past a security provider the configuration requires. A provider that is
     * missing may be starting (the broker's first second, a bundle being updated): the CONNECT waits for it a
     * little before it is refused with "server unavailable".
     */
    private void authenticateWhenProvidersRun(long deadlineNanos, boolean usernameFromCertificate) {
        if (connection.state() != MqttConnection.State.AUTHENTICATING) {
            return; // closed meanwhile
        }
        String missing = engine.access().missingProvider();
        if (missing == null) {
            authenticate(usernameFromCertificate);
        } else if (System.nanoTime() - deadlineNanos >= 0) {
            LOG.warn("Refusing client {}: the configuration requires {}, which is not running.",
                    connection.clientContext().clientId(), missing);
            connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        } else {
            timer = connection.loop().schedule(
                    () -> authenticateWhenProvidersRun(deadlineNanos, usernameFromCertificate),
                    REQUIRED_PROVIDER_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void authenticate(boolean usernameFromCertificate) {
        BrokerSettings settings = engine.settings();
        if (enhancedAuth.isRequested()) {
            // enhanced authentication replaces the basic authenticator chain, as in Mosquitto
            enhancedAuth.start();
            return;
        }
        timer = connection.loop().schedule(() -> onAuthenticated(AccessDecision.DENY, "timed out"),
                settings.authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        ClientContext attempt = connection.clientContext();
        // Mosquitto skips basic authentication when the user name comes from a verified certificate
        CompletionStage<AccessDecision> authentication = usernameFromCertificate
                ? CompletableFuture.completedFuture(AccessDecision.ALLOW)
                : engine.access().authenticate(attempt, anonymousAllowed(settings));
        authentication.whenComplete((decision, failure) -> {
            AccessDecision d = failure != null || decision == null ? AccessDecision.DENY : decision;
            String why = failure != null ? failure.toString() : null;
            connection.onLoop(() -> onAuthenticated(d, why));
        });
    }

    /**
     * The decision of basic authentication, or ALLOW at the end of a successful enhanced authentication exchange:
     * ask for the session (the connection answers when it is ready), or refuse.
     *
     * @param problem why there is no real decision (failure, time-out), for the log; {@code null} if there is
     */
    void onAuthenticated(AccessDecision decision, String problem) {
        if (connection.state() != MqttConnection.State.AUTHENTICATING) {
            return; // closed meanwhile, or the time budget ran out
        }
        MqttConnection.cancel(timer);
        timer = null; // a cancelled task kept referenced costs every idle connection its 64 bytes
        ClientContext client = connection.clientContext();
        if (decision.decision() != Decision.ALLOW) {
            if (problem != null) {
                LOG.warn("Client {}: authentication {}; denying.", client.clientId(), problem);
            }
            connection.logConnection("Client {} disconnected, not authorised.", client.clientId());
            refuseDenied(decision);
            return;
        }
        if (listener.useUsernameAsClientId) {
            if (client.username() == null) {
                connection.logConnection("Client {} disconnected, not authorised (use_username_as_clientid needs a "
                        + "user name).", client.clientId());
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                return;
            }
            client = client.withClientId(client.username());
            connection.setClientContext(client);
        }
        claimThenOpen(client.clientId());
    }

    /**
     * Ask the {@link SessionOwnership} service, if there is one (a cluster), to make this broker the session's owner
     * and bring it here; then open the session. Without one the session opens at once.
     */
    private void claimThenOpen(String clientId) {
        ServiceChain.Entry<SessionOwnership>[] owners = engine.ownership().snapshot();
        if (owners.length == 0 || !owners[0].enter()) {
            engine.sessions().open(clientId, cleanSession, sessionExpirySeconds, connection);
            return;
        }
        ServiceChain.Entry<SessionOwnership> owner = owners[0];
        CompletionStage<Void> claim;
        try {
            claim = owner.service().claim(clientId, cleanSession);
            if (claim == null) {
                throw new IllegalStateException("claim() returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            claim = CompletableFuture.failedFuture(e);
        } finally {
            owner.exit();
        }
        claim.toCompletableFuture().orTimeout(CLAIM_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenComplete((v, failure) -> connection.onLoop(() -> {
                    if (connection.state() != MqttConnection.State.AUTHENTICATING) {
                        return; // closed meanwhile
                    }
                    if (failure != null) {
                        LOG.warn("Client {}: its session could not be claimed from {} ({}); refusing.", clientId,
                                owner.origin(), failure.toString());
                        connection.logConnection("Client {} disconnected, server unavailable.", clientId);
                        connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                        return;
                    }
                    engine.sessions().open(clientId, cleanSession, sessionExpirySeconds, connection);
                }));
    }

    /**
     * Refuse a client an extension denied: MQTT 5 hears the extension's reason code and string (0x87 "not
     * authorized" by default), MQTT 3.x the return code its protocol has for it (5 "not authorized", 4 "bad user
     * name or password", 3 "server unavailable", 2 "identifier rejected").
     */
    private void refuseDenied(AccessDecision decision) {
        int code = ReasonCodes.connackDenial(decision, ReasonCodes.NOT_AUTHORIZED);
        if (mqtt5) {
            connection.refuse(MqttConnectReturnCode.valueOf((byte) code), decision.reasonString());
            return;
        }
        switch (code) {
            case ReasonCodes.BAD_USER_NAME_OR_PASSWORD:
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
                break;
            case 0x85:
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                break;
            case 0x88:
            case 0x89:
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
                break;
            default:
                connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    /**
     * Read the MQTT 5 CONNECT properties.
     *
     * @return {@code false} if the connection was refused
     */
    private boolean readConnectProperties(MqttProperties properties) {
        Integer expiry = Mqtt5Packets.intProperty(properties, MqttProperties.SESSION_EXPIRY_INTERVAL);
        sessionExpirySeconds = expiry == null ? 0 : Mqtt5Packets.expirySeconds(expiry);
        Integer receiveMaximum = Mqtt5Packets.intProperty(properties, MqttProperties.RECEIVE_MAXIMUM);
        if (receiveMaximum != null) {
            if (receiveMaximum == 0) {
                refuseProtocolError("Receive Maximum 0");
                return false;
            }
            clientReceiveMaximum = receiveMaximum;
        }
        Integer maximumPacketSize = Mqtt5Packets.intProperty(properties, MqttProperties.MAXIMUM_PACKET_SIZE);
        if (maximumPacketSize != null) {
            if (maximumPacketSize == 0) {
                refuseProtocolError("Maximum Packet Size 0");
                return false;
            }
            clientMaximumPacketSize = Integer.toUnsignedLong(maximumPacketSize);
        }
        // Request Problem Information 0: no Reason String outside PUBLISH, CONNACK and DISCONNECT (the broker sends
        // one on PUBACK, PUBREC, SUBACK and UNSUBACK when an extension gave one)
        Integer problemInformation = Mqtt5Packets.intProperty(properties,
                MqttProperties.REQUEST_PROBLEM_INFORMATION);
        if (problemInformation != null) {
            if (problemInformation > 1) {
                refuseProtocolError("Request Problem Information " + problemInformation);
                return false;
            }
            requestProblemInformation = problemInformation == 1;
        }
        String authenticationMethod = Mqtt5Packets.stringProperty(properties, MqttProperties.AUTHENTICATION_METHOD);
        byte[] authenticationData = Mqtt5Packets.binaryProperty(properties, MqttProperties.AUTHENTICATION_DATA);
        if (authenticationData != null && authenticationMethod == null) {
            refuseProtocolError("Authentication Data without Authentication Method");
            return false;
        }
        enhancedAuth.requestedInConnect(authenticationMethod, authenticationData);
        return true;
    }

    /** @return the effective allow_anonymous: the listener's with per_listener_settings, else the broker's */
    private boolean anonymousAllowed(BrokerSettings settings) {
        return listener.allowAnonymous != null ? settings.localOnly || listener.allowAnonymous
                : settings.anonymousAllowed();
    }

    private void refuseProtocolError(String what) {
        LOG.info("Client {} rejected: protocol error: {}.", MqttConnection.address(connection.remote()), what);
        connection.refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
    }

    /** The broker's side of the MQTT 5 capabilities for CONNACK, as Mosquitto announces them. */
    MqttProperties connackProperties() {
        BrokerSettings settings = engine.settings();
        MqttProperties p = new MqttProperties();
        if (assignedClientId) {
            p.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER,
                    connection.clientContext().clientId()));
        }
        enhancedAuth.addConnackProperties(p);
        if (serverKeepAlive >= 0) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, serverKeepAlive));
        }
        if (connection.serverReceiveMaximum() < 65535) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, connection.serverReceiveMaximum()));
        }
        if (settings.maxPacketSize > 0) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, settings.maxPacketSize));
        }
        p.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, listener.maxTopicAlias));
        if (!settings.retainAvailable) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
        }
        if (listener.maxQos < 2) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, listener.maxQos));
        }
        return p;
    }

    /** The connection closed: a pending provider poll or authentication time budget must not fire. */
    void cancelTimer() {
        MqttConnection.cancel(timer);
    }

    // ---------------------------------------------------------------- what the CONNECT asked for

    /** @return whether an MQTT 5 client accepts Reason Strings on PUBACK, PUBREC, SUBACK and UNSUBACK */
    boolean requestProblemInformation() {
        return mqtt5 && requestProblemInformation;
    }

    /** @return whether the client speaks MQTT 5 (known from the CONNECT on; {@code false} before) */
    boolean isMqtt5() {
        return mqtt5;
    }

    boolean cleanSession() {
        return cleanSession;
    }

    /** @return the keepalive in force: the client's, or the Server Keep Alive the broker imposed */
    int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    /** @return the session expiry the CONNECT asked for (MQTT 3.x: derived from clean session) */
    long sessionExpirySeconds() {
        return sessionExpirySeconds;
    }

    /** @return the client's MQTT 5 Receive Maximum (65535 when it set none) */
    int clientReceiveMaximum() {
        return clientReceiveMaximum;
    }

    /** @return the client's MQTT 5 Maximum Packet Size; 0: no limit */
    long clientMaximumPacketSize() {
        return clientMaximumPacketSize;
    }
}
