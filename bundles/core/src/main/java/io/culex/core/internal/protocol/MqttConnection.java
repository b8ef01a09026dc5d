package io.culex.core.internal.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.api.EnhancedAuthResult;
import io.culex.api.ProtocolVersion;
import io.culex.core.internal.BrokerSettings;
import io.culex.core.internal.Engine;
import io.culex.core.internal.extension.EnhancedAuthentication;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.SharedFilter;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.session.SessionConnection;
import io.culex.core.internal.session.SessionRegistry;
import io.culex.core.internal.transport.ListenerSettings;
import io.culex.core.internal.transport.PeerIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * One client connection: the MQTT protocol state machine from CONNECT to close, on the connection's event loop.
 *
 * <p>Every packet that reaches this handler is released here (or its ownership is passed on explicitly); no
 * exception leaves it for Netty's default handler: a malformed packet or a protocol violation closes this
 * connection, logged with the client id, and nothing else.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter
        implements SessionConnection, SessionRegistry.Claimant {

    public static final String HANDLER_NAME = "mqtt";
    /** The MQTT 5 reason code for {@link #kick(String, int)} at shutdown. */
    public static final int SERVER_SHUTTING_DOWN = ReasonCodes.SERVER_SHUTTING_DOWN;

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** A connection that does not send CONNECT within this time is closed. */
    private static final long CONNECT_TIMEOUT_SECONDS = 20;
    /** Packets that may arrive while authentication is under way (pipelined after CONNECT) before reading stops. */
    private static final int MAX_PENDING_PACKETS = 64;
    private static final String UNKNOWN_CLIENT = "<unknown>";

    /**
     * AUTHENTICATING: waiting for extensions to answer (reading paused, early packets held); AWAIT_AUTH: waiting for
     * the client's next AUTH packet of an enhanced authentication exchange before CONNACK.
     */
    private enum State { AWAIT_CONNECT, AUTHENTICATING, AWAIT_AUTH, CONNECTED, CLOSED }

    /** How long a CONNECT waits for a required security provider that is not running before it is refused. */
    static final long REQUIRED_PROVIDER_GRACE_MILLIS = 2_000;
    private static final long REQUIRED_PROVIDER_POLL_MILLIS = 25;

    private final Engine engine;
    private final ListenerSettings listener;
    private final int listenerPort;
    private final SubscriptionRequests subscriptions;
    private final PublishRequests publishes;
    private ChannelHandlerContext ctx;
    private State state = State.AWAIT_CONNECT;
    private ClientContext client;
    private boolean cleanSession;
    private int keepAliveSeconds;
    private Session session;
    private Message will;
    private boolean graceful;
    private boolean takenOver;
    private String closeReason;
    private boolean flushPending;
    private List<MqttMessage> pending;
    private ScheduledFuture<?> connectTimeout;
    private ScheduledFuture<?> authTimeout;

    // MQTT 5 state of the connection
    private boolean mqtt5;
    private long sessionExpirySeconds;
    private int clientReceiveMaximum = 65535;
    private long clientMaximumPacketSize;
    private boolean problemInformation = true;
    private long willDelaySeconds;
    private boolean willOnDisconnect;
    private boolean assignedClientId;
    private int serverKeepAlive = -1;

    // MQTT 5 enhanced authentication (AUTH packets)
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

    public MqttConnection(Engine engine, ListenerSettings listener, int listenerPort) {
        this.engine = engine;
        this.listener = listener;
        this.listenerPort = listenerPort;
        this.subscriptions = new SubscriptionRequests(this, engine, listener);
        this.publishes = new PublishRequests(this, engine, listener);
    }

    // ---------------------------------------------------------------- Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        if (engine.settings().connectionMessages) {
            LOG.info(LogMarkers.CONNECTION, "New connection from {} on port {}.",
                    address(remote()), listenerPort);
        }
        connectTimeout = context.executor().schedule(() -> {
            if (state == State.AWAIT_CONNECT) {
                closeReason = "no CONNECT within " + CONNECT_TIMEOUT_SECONDS + " seconds";
                context.close();
            }
        }, CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof MqttMessage)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        MqttMessage packet = (MqttMessage) msg;
        if (state == State.AUTHENTICATING && packet.decoderResult().isSuccess()) {
            hold(packet);
            return;
        }
        try {
            handle(packet);
        } catch (RuntimeException e) {
            // a bug of ours must cost this connection, not the broker
            LOG.error("Client {}: internal error handling {}, disconnecting: {}", id(),
                    packet.fixedHeader() == null ? "packet" : packet.fixedHeader().messageType(), e.toString(), e);
            close("internal error");
        } finally {
            ReferenceCountUtil.release(packet);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable() && session != null) {
            session.drain();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.info("Client {} has exceeded timeout, disconnecting.", id());
            close("exceeded timeout", ReasonCodes.KEEP_ALIVE_TIMEOUT);
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("Client {}: socket error: {}", id(), cause.toString());
            close("socket error");
        } else {
            LOG.warn("Client {}: unexpected error, disconnecting: {}", id(), cause.toString(), cause);
            close("error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel(connectTimeout);
        cancel(authTimeout);
        releasePending();
        endSession();
        state = State.CLOSED;
        discardWill();
        context.fireChannelInactive();
    }

    /**
     * Close the connection from the broker's side. The session is detached at once, not when the socket reports
     * closed, so that nothing routed in between is written to a dying connection instead of being queued.
     */
    private void close(String reason) {
        close(reason, ReasonCodes.UNSPECIFIED_ERROR);
    }

    /**
     * Close from the broker's side; an MQTT 5 client that was accepted first gets a DISCONNECT with the reason code.
     */
    private void close(String reason, int reasonCode) {
        if (closeReason == null) {
            closeReason = reason;
        }
        boolean tellClient = mqtt5 && state == State.CONNECTED && ctx.channel().isActive();
        endSession();
        if (tellClient) {
            ctx.writeAndFlush(Mqtt5Packets.disconnect(reasonCode)).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }

    /** The end of a connected client: will, session detach, events, log. Runs once. */
    private void endSession() {
        if (state != State.CONNECTED) {
            return;
        }
        state = State.CLOSED;
        engine.connected().remove(client.clientId(), this);
        engine.stats().clientDisconnected();
        if (graceful) {
            logConnection("Client {} disconnected.", client.clientId());
        } else {
            if (closeReason == null) {
                logConnection("Client {} closed its connection.", client.clientId());
            } else {
                logConnection("Client {} disconnected: {}.", client.clientId(), closeReason);
            }
        }
        Session s = session;
        session = null;
        if (!graceful || willOnDisconnect) {
            sendOrDelayWill(s);
        }
        s.detach(this);
        engine.events().disconnected(client, graceful);
    }

    // ---------------------------------------------------------------- dispatch

    private void handle(MqttMessage packet) {
        if (state == State.CLOSED) {
            return;
        }
        if (!packet.decoderResult().isSuccess()) {
            onDecodeFailure(packet.decoderResult().cause());
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        if (state == State.AWAIT_CONNECT && type != MqttMessageType.CONNECT) {
            protocolViolation(type + " before CONNECT");
            return;
        }
        if (state == State.AWAIT_AUTH && type != MqttMessageType.AUTH) {
            onPacketDuringAuthentication(type);
            return;
        }
        switch (type) {
            case CONNECT:
                onConnect((MqttConnectMessage) packet);
                break;
            case PUBLISH:
                publishes.onPublish((MqttPublishMessage) packet);
                break;
            case PUBACK:
                session.onPuback(packetId(packet));
                break;
            case PUBREC:
                session.onPubrec(packetId(packet), Mqtt5Packets.replyReasonCode(packet));
                break;
            case PUBREL:
                int id = packetId(packet);
                boolean known = session.endIncomingQos2(id);
                write(PublishEncoding.ack(alloc(), PublishEncoding.PUBCOMP, id,
                        known || !mqtt5 ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND));
                break;
            case PUBCOMP:
                session.onPubcomp(packetId(packet));
                break;
            case SUBSCRIBE:
                subscriptions.onSubscribe((MqttSubscribeMessage) packet);
                break;
            case UNSUBSCRIBE:
                subscriptions.onUnsubscribe((MqttUnsubscribeMessage) packet);
                break;
            case PINGREQ:
                ByteBuf pong = alloc().buffer(2, 2);
                pong.writeByte(0xD0).writeByte(0);
                write(pong);
                break;
            case DISCONNECT:
                onDisconnect(packet);
                break;
            case AUTH:
                onAuth(packet);
                break;
            default:
                protocolViolation("unexpected " + type);
        }
    }

    private void onDecodeFailure(Throwable cause) {
        if (state == State.AWAIT_CONNECT) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                LOG.info("Client {} rejected: unsupported protocol version ({}).", address(remote()),
                        cause.getMessage());
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
                return;
            }
            if (cause instanceof MqttIdentifierRejectedException) {
                LOG.info("Client {} rejected: invalid client identifier.", address(remote()));
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
                return;
            }
        }
        if (cause instanceof TooLongFrameException) {
            LOG.info("Client {} sent a packet larger than the maximum of {} bytes, disconnecting.", id(),
                    engine.settings().decoderMaxBytes());
            close("packet too large", ReasonCodes.PACKET_TOO_LARGE);
        } else {
            LOG.info("Client {} disconnected due to malformed packet: {}", id(),
                    cause == null ? "?" : cause.getMessage());
            close("malformed packet", ReasonCodes.MALFORMED_PACKET);
        }
    }

    void protocolViolation(String what) {
        protocolViolation(what, ReasonCodes.PROTOCOL_ERROR);
    }

    void protocolViolation(String what, int reasonCode) {
        LOG.info("Client {} disconnected due to protocol error: {}.", id(), what);
        close("protocol error", reasonCode);
    }

    private void onDisconnect(MqttMessage packet) {
        if (mqtt5) {
            Object header = packet.variableHeader();
            if (header instanceof MqttReasonCodeAndPropertiesVariableHeader) {
                MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) header;
                willOnDisconnect = (h.reasonCode() & 0xFF) == ReasonCodes.DISCONNECT_WITH_WILL;
                Integer expiry = Mqtt5Packets.intProperty(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
                if (expiry != null) {
                    if (sessionExpirySeconds == 0 && expiry != 0) {
                        protocolViolation("session expiry set on DISCONNECT after connecting with 0");
                        return;
                    }
                    sessionExpirySeconds = Mqtt5Packets.expirySeconds(expiry);
                    session.setExpirySeconds(sessionExpirySeconds);
                }
            }
        }
        graceful = true;
        if (!willOnDisconnect) {
            discardWill();
        }
        close("disconnected");
    }

    // ---------------------------------------------------------------- CONNECT

    private void onConnect(MqttConnectMessage connect) {
        if (state != State.AWAIT_CONNECT) {
            protocolViolation("second CONNECT");
            return;
        }
        cancel(connectTimeout);
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        ProtocolVersion version = header.version() == 3 ? ProtocolVersion.MQTT_3_1
                : header.version() == 4 ? ProtocolVersion.MQTT_3_1_1 : ProtocolVersion.MQTT_5;
        mqtt5 = version == ProtocolVersion.MQTT_5;
        if (mqtt5 && !readConnectProperties(header.properties())) {
            return;
        }
        if (header.isWillFlag()) {
            if (header.willQos() > 2 || !Topics.isValidTopicName(payload.willTopic())) {
                protocolViolation("invalid will");
                return;
            }
        } else if (header.willQos() != 0 || header.isWillRetain()) {
            protocolViolation("will QoS or retain set without will flag");
            return;
        }
        if (header.hasPassword() && !header.hasUserName()) {
            protocolViolation("password without user name");
            return;
        }
        String username = header.hasUserName() ? payload.userName() : null;
        if (username != null && !Topics.isValidText(username)) {
            protocolViolation("invalid user name");
            return;
        }
        BrokerSettings settings = engine.settings();
        String clientId = payload.clientIdentifier();
        if (!Topics.isValidText(clientId)) {
            LOG.info("Client {} rejected: invalid client identifier.", address(remote()));
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        if (clientId.isEmpty()) {
            // MQTT 5 lets the server assign an id whatever Clean Start says; 3.1.1 only with clean session
            boolean zeroLengthAllowed = listener.allowZeroLengthClientId != null
                    ? listener.allowZeroLengthClientId : settings.allowZeroLengthClientId;
            if ((!header.isCleanSession() && !mqtt5) || !zeroLengthAllowed) {
                LOG.info("Client {} rejected: empty client identifier{}.", address(remote()),
                        header.isCleanSession() ? " not allowed" : " with clean session false");
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
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
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
            return;
        }
        PeerIdentity identity = PeerIdentity.of(ctx.channel(), listener);
        if (identity.refusal() != null) {
            logConnection("Client {} disconnected, not authorised: {}.", clientId, identity.refusal());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        byte[] password = header.hasPassword() ? payload.passwordInBytes() : null;
        if (identity.replacesUsername()) {
            // as Mosquitto: the certificate is the credential, what CONNECT carried is dropped
            username = identity.username();
            password = null;
        }
        client = new ClientContext(clientId, username, password, remote(), listenerPort, version,
                identity.certificates());
        cleanSession = header.isCleanSession();
        keepAliveSeconds = serverKeepAlive >= 0 ? serverKeepAlive : header.keepAliveTimeSeconds();
        if (!mqtt5) {
            long expiration = settings.persistentClientExpirationSeconds;
            sessionExpirySeconds = cleanSession ? 0 : expiration > 0 ? expiration : Session.NEVER_EXPIRES;
        }
        if (header.isWillFlag()) {
            byte[] willPayload = payload.willMessageInBytes();
            MqttProperties willProperties = payload.willProperties();
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
            will = new Message(mounted(payload.willTopic()),
                    willPayload == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(willPayload),
                    header.willQos(), header.isWillRetain(), clientId, forwarded, expiresAt);
        }
        state = State.AUTHENTICATING;
        ctx.channel().config().setAutoRead(false);
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
        if (state != State.AUTHENTICATING) {
            return; // closed meanwhile
        }
        String missing = engine.access().missingProvider(engine.settings().requiredProviders);
        if (missing == null) {
            authenticate(usernameFromCertificate);
        } else if (System.nanoTime() - deadlineNanos >= 0) {
            LOG.warn("Refusing client {}: the configuration requires {}, which is not running.", client.clientId(),
                    missing);
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
        } else {
            authTimeout = ctx.executor().schedule(
                    () -> authenticateWhenProvidersRun(deadlineNanos, usernameFromCertificate),
                    REQUIRED_PROVIDER_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void authenticate(boolean usernameFromCertificate) {
        BrokerSettings settings = engine.settings();
        if (authenticationMethod != null) {
            // enhanced authentication replaces the basic authenticator chain, as in Mosquitto
            askEnhancedAuthenticator(connectAuthenticationData, null);
            connectAuthenticationData = null;
            return;
        }
        authTimeout = ctx.executor().schedule(() -> onAuthenticated(Decision.DENY, "timed out"),
                settings.authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        ClientContext attempt = client;
        // Mosquitto skips basic authentication when the user name comes from a verified certificate
        CompletionStage<Decision> authentication = usernameFromCertificate
                ? CompletableFuture.completedFuture(Decision.ALLOW)
                : engine.access().authenticate(attempt, anonymousAllowed(settings));
        authentication.whenComplete((decision, failure) -> {
            Decision d = failure != null || decision == null ? Decision.DENY : decision;
            String why = failure != null ? failure.toString() : null;
            EventLoop loop = ctx.channel().eventLoop();
            if (loop.inEventLoop()) {
                onAuthenticated(d, why);
            } else {
                loop.execute(() -> onAuthenticated(d, why));
            }
        });
    }

    private void onAuthenticated(Decision decision, String problem) {
        if (state != State.AUTHENTICATING) {
            return; // closed meanwhile, or the time budget ran out
        }
        cancel(authTimeout);
        if (decision != Decision.ALLOW) {
            if (problem != null) {
                LOG.warn("Client {}: authentication {}; denying.", client.clientId(), problem);
            }
            logConnection("Client {} disconnected, not authorised.", client.clientId());
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            return;
        }
        if (listener.useUsernameAsClientId) {
            if (client.username() == null) {
                logConnection("Client {} disconnected, not authorised (use_username_as_clientid needs a user "
                        + "name).", client.clientId());
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
                return;
            }
            client = client.withClientId(client.username());
        }
        engine.sessions().open(client.clientId(), cleanSession, sessionExpirySeconds, this);
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
        Integer problem = Mqtt5Packets.intProperty(properties, MqttProperties.REQUEST_PROBLEM_INFORMATION);
        problemInformation = problem == null || problem != 0;
        authenticationMethod = Mqtt5Packets.stringProperty(properties, MqttProperties.AUTHENTICATION_METHOD);
        connectAuthenticationData = Mqtt5Packets.binaryProperty(properties, MqttProperties.AUTHENTICATION_DATA);
        if (connectAuthenticationData != null && authenticationMethod == null) {
            refuseProtocolError("Authentication Data without Authentication Method");
            return false;
        }
        return true;
    }

    /** @return the effective allow_anonymous: the listener's with per_listener_settings, else the broker's */
    private boolean anonymousAllowed(BrokerSettings settings) {
        return listener.allowAnonymous != null ? settings.localOnly || listener.allowAnonymous
                : settings.anonymousAllowed();
    }

    private void refuseProtocolError(String what) {
        LOG.info("Client {} rejected: protocol error: {}.", address(remote()), what);
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- AUTH (MQTT 5 enhanced authentication)

    /**
     * One step of an enhanced authentication exchange: ask the services for the method to start (no continuation)
     * or the service that answered CONTINUE to proceed. The answer resumes on this connection's loop.
     */
    private void askEnhancedAuthenticator(byte[] data, EnhancedAuthentication.Answer continuation) {
        int step = ++authStep;
        EnhancedAuthContext request = new EnhancedAuthContext(client, authenticationMethod, data, reauthenticating,
                continuation == null ? null : continuation.result().exchangeState());
        authTimeout = ctx.executor().schedule(() -> onEnhancedAnswer(step, null, "timed out"),
                engine.settings().authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        EnhancedAuthentication authentication = engine.enhancedAuthentication();
        CompletionStage<EnhancedAuthentication.Answer> answer = continuation == null
                ? authentication.start(request) : authentication.proceed(continuation, request);
        answer.whenComplete((a, failure) -> {
            String why = failure != null ? failure.toString() : null;
            EventLoop loop = ctx.channel().eventLoop();
            if (loop.inEventLoop()) {
                onEnhancedAnswer(step, a, why);
            } else {
                loop.execute(() -> onEnhancedAnswer(step, a, why));
            }
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
        cancel(authTimeout);
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
                LOG.info("Client {}: no enhanced authenticator for method '{}'.", client.clientId(),
                        authenticationMethod);
                enhancedAuthenticationFailed(ReasonCodes.BAD_AUTHENTICATION_METHOD,
                        MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD);
                break;
            default:
                if (problem != null) {
                    LOG.warn("Client {}: enhanced authentication {}; denying.", client.clientId(), problem);
                }
                enhancedAuthenticationFailed(ReasonCodes.NOT_AUTHORIZED,
                        MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    /** @return whether an enhanced authentication exchange of this (still open) connection is under way */
    private boolean isAuthenticatingEnhanced() {
        return authenticationMethod != null
                && (state == State.AUTHENTICATING || state == State.AWAIT_AUTH
                || state == State.CONNECTED && reauthenticating);
    }

    private void enhancedAuthenticationSucceeded(byte[] data) {
        if (reauthenticating) {
            reauthenticating = false;
            LOG.info("Client {} re-authenticated ({}).", client.clientId(), authenticationMethod);
            ctx.write(Mqtt5Packets.auth(ReasonCodes.SUCCESS, authenticationMethod, data), ctx.voidPromise());
            scheduleFlush();
        } else {
            connackAuthenticationData = data;
            onAuthenticated(Decision.ALLOW, null);
        }
    }

    private void enhancedAuthenticationFailed(int reasonCode, MqttConnectReturnCode connackCode) {
        if (reauthenticating) {
            logConnection("Client {} disconnected, re-authentication failed.", client.clientId());
            close("re-authentication failed", reasonCode);
        } else {
            logConnection("Client {} disconnected, not authorised.", client.clientId());
            refuse(connackCode);
        }
    }

    /**
     * Send AUTH "continue authentication" and wait, within the time budget, for the client's reply. Before CONNACK
     * reading resumes for it; after CONNACK the connection keeps working meanwhile.
     */
    private void awaitClientAuth(byte[] challenge) {
        int step = ++authStep;
        ctx.write(Mqtt5Packets.auth(ReasonCodes.CONTINUE_AUTHENTICATION, authenticationMethod, challenge),
                ctx.voidPromise());
        scheduleFlush();
        authTimeout = ctx.executor().schedule(() -> onEnhancedAnswer(step, null, "timed out waiting for the client"),
                engine.settings().authenticationTimeoutMillis, TimeUnit.MILLISECONDS);
        if (state == State.AUTHENTICATING) {
            state = State.AWAIT_AUTH;
            replayPending();
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void onAuth(MqttMessage packet) {
        if (!mqtt5 || authenticationMethod == null) {
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
            cancel(authTimeout);
            if (state == State.AWAIT_AUTH) {
                state = State.AUTHENTICATING;
                ctx.channel().config().setAutoRead(false);
            }
            askEnhancedAuthenticator(data, continuation);
        } else if (reason == ReasonCodes.REAUTHENTICATE && state == State.CONNECTED && !reauthenticating) {
            reauthenticating = true;
            askEnhancedAuthenticator(data, null);
        } else {
            authProtocolError(String.format("AUTH with reason 0x%02X %s", reason,
                    reauthenticating ? "during re-authentication" : "out of sequence"));
        }
    }

    /** A packet other than AUTH while the client owes the broker an AUTH reply (MQTT-3.1.2-30 allows DISCONNECT). */
    private void onPacketDuringAuthentication(MqttMessageType type) {
        if (type == MqttMessageType.DISCONNECT) {
            closeReason = "disconnected during authentication";
            discardWill();
            ctx.close();
        } else {
            authProtocolError(type + " before the end of enhanced authentication");
        }
    }

    /** An AUTH protocol error: before CONNACK, CONNACK 0x82; after, DISCONNECT 0x82. */
    private void authProtocolError(String what) {
        if (state == State.CONNECTED) {
            protocolViolation(what);
        } else {
            LOG.info("Client {} rejected: protocol error: {}.", id(), what);
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR);
        }
    }

    @Override
    public EventLoop loop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void sessionReady(Session s, boolean sessionPresent) {
        if (!s.isClaimedBy(this)) {
            sessionSuperseded();
            return;
        }
        if (state != State.AUTHENTICATING || !ctx.channel().isActive()) {
            s.abandon(this);
            return;
        }
        state = State.CONNECTED;
        client = client.withoutPassword();
        session = s;
        boolean present = sessionPresent && !cleanSession && client.protocolVersion() != ProtocolVersion.MQTT_3_1;
        if (mqtt5) {
            publishes.acceptTopicAliases();
        }
        MqttConnAckMessage connack = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(present)
                .properties(mqtt5 ? connackProperties() : MqttProperties.NO_PROPERTIES)
                .build();
        ctx.write(connack, ctx.voidPromise());
        scheduleFlush();
        if (keepAliveSeconds > 0) {
            // MQTT: the server disconnects after one and a half keepalive periods without a packet
            ctx.pipeline().addBefore(HANDLER_NAME, "keepalive",
                    new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        MqttConnection previous = engine.connected().put(client.clientId(), this);
        if (previous != null && previous != this) {
            LOG.debug("Client {}: replaced connection in the directory", client.clientId());
        }
        engine.stats().clientConnected();
        if (engine.settings().connectionMessages) {
            LOG.info(LogMarkers.CONNECTION, "New client connected from {} as {} (p{}, c{}, k{}{}).", address(remote()), client.clientId(),
                    client.protocolVersion() == ProtocolVersion.MQTT_3_1 ? 1 : 2, cleanSession ? 1 : 0,
                    keepAliveSeconds, client.username() == null ? "" : ", u'" + client.username() + "'");
        }
        s.attach(this);
        engine.events().connected(client, present);
        replayPending();
        ctx.channel().config().setAutoRead(true);
    }

    /** The broker's side of the MQTT 5 capabilities, as Mosquitto announces them. */
    private MqttProperties connackProperties() {
        BrokerSettings settings = engine.settings();
        MqttProperties p = new MqttProperties();
        if (assignedClientId) {
            p.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, client.clientId()));
        }
        if (authenticationMethod != null) {
            p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, authenticationMethod));
            if (connackAuthenticationData != null) {
                p.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA,
                        connackAuthenticationData));
                connackAuthenticationData = null;
            }
        }
        if (serverKeepAlive >= 0) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, serverKeepAlive));
        }
        if (serverReceiveMaximum() < 65535) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, serverReceiveMaximum()));
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

    /** @return the Receive Maximum the broker announces: how many incoming QoS 2 messages may wait for PUBREL */
    int serverReceiveMaximum() {
        int max = engine.settings().maxInflightMessages;
        return max == 0 ? 65535 : Math.min(max, 65535);
    }

    @Override
    public void sessionSuperseded() {
        if (state == State.AUTHENTICATING) {
            closeReason = "superseded by a newer connection with the same client id";
            discardWill();
            ctx.close();
        }
    }

    private void refuse(MqttConnectReturnCode code) {
        state = State.CLOSED;
        discardWill();
        if (mqtt5) {
            code = Mqtt5Packets.toMqtt5(code);
        }
        MqttConnAckMessage connack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        ctx.writeAndFlush(connack).addListener(f -> ctx.close());
    }

    private void hold(MqttMessage packet) {
        if (pending == null) {
            pending = new ArrayList<>();
        }
        pending.add(packet);
        if (pending.size() > MAX_PENDING_PACKETS) {
            releasePending();
            protocolViolation("too many packets before CONNACK");
        }
    }

    private void replayPending() {
        List<MqttMessage> packets = pending;
        pending = null;
        if (packets != null) {
            for (MqttMessage packet : packets) {
                if (state == State.AUTHENTICATING) {
                    hold(packet); // a replayed AUTH started the next step: the rest waits for its answer, in order
                    continue;
                }
                try {
                    handle(packet);
                } finally {
                    ReferenceCountUtil.release(packet);
                }
            }
        }
    }

    private void releasePending() {
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
    }

    // ---------------------------------------------------------------- PUBLISH

    /** The will of a connection that ended without a normal DISCONNECT, now or after its MQTT 5 delay. */
    private void sendOrDelayWill(Session s) {
        Message w = will;
        will = null;
        if (w == null) {
            return;
        }
        if (willDelaySeconds > 0 && s.isPersistent()) {
            long delay = Math.min(willDelaySeconds, s.expirySeconds());
            s.delayWill(w, client, delay);
            return;
        }
        try {
            engine.publishWill(w, client, ctx.channel().eventLoop());
        } finally {
            w.release();
        }
    }

    private void discardWill() {
        if (will != null) {
            will.release();
            will = null;
        }
    }

    // ---------------------------------------------------------------- for the request handlers

    /** @return the session of the connected client */
    Session session() {
        return session;
    }

    /** @return the connected client, as extensions see it */
    ClientContext clientContext() {
        return client;
    }

    /** Write a control packet encoded by Netty's MqttEncoder (SUBACK, UNSUBACK); flushed with the burst. */
    void writeControl(Object packet) {
        ctx.write(packet, ctx.voidPromise());
        scheduleFlush();
    }

    // ---------------------------------------------------------------- SessionConnection

    @Override
    public ClientInfo client() {
        return client;
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public void write(ByteBuf packet) {
        ctx.write(packet, ctx.voidPromise());
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushPending) {
            flushPending = true;
            FlushScheduler.current().schedule(this, ctx.channel().eventLoop());
        }
    }

    void flushNow() {
        flushPending = false;
        ctx.flush();
    }

    @Override
    public void takenOver() {
        takenOver = true;
        boolean tellClient = mqtt5 && state == State.CONNECTED;
        state = State.CLOSED;
        Session s = session;
        session = null;
        engine.connected().remove(client.clientId(), this);
        engine.stats().clientDisconnected();
        sendOrDelayWill(s);
        engine.events().disconnected(client, false);
        if (tellClient) {
            ctx.writeAndFlush(Mqtt5Packets.disconnect(ReasonCodes.SESSION_TAKEN_OVER)).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }

    @Override
    public void kick(String reason) {
        kick(reason, ReasonCodes.ADMINISTRATIVE_ACTION);
    }

    /**
     * Disconnect at the broker's request (MQTT 5: "administrative action"); without {@code publishWill} the will is
     * discarded, as after a normal DISCONNECT.
     */
    public void kick(String reason, boolean publishWill) {
        if (!publishWill) {
            discardWill();
        }
        kick(reason);
    }

    /** Disconnect at the broker's request with an MQTT 5 reason code (e.g. server shutting down). */
    public void kick(String reason, int reasonCode) {
        if (state == State.CLOSED) {
            return;
        }
        close(reason, reasonCode);
    }

    @Override
    public String mountPoint() {
        return listener.mountPoint;
    }

    /** @return the topic inside this listener's mount point */
    String mounted(String topic) {
        return listener.mountPoint == null ? topic : listener.mountPoint + topic;
    }

    /** @return the filter inside this listener's mount point; a shared filter keeps its $share/group/ prefix */
    String mountedFilter(String filter) {
        if (listener.mountPoint == null) {
            return filter;
        }
        SharedFilter shared = SharedFilter.parse(filter);
        return shared == null ? listener.mountPoint + filter
                : SharedFilter.PREFIX + shared.group() + "/" + listener.mountPoint + shared.filter();
    }

    @Override
    public boolean isMqtt5() {
        return mqtt5;
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public long maximumPacketSize() {
        return clientMaximumPacketSize;
    }

    /** @return the channel, for the broker's administration */
    public Channel channel() {
        return ctx.channel();
    }

    // ---------------------------------------------------------------- helpers

    private String id() {
        return client != null ? client.clientId() : UNKNOWN_CLIENT;
    }

    private SocketAddress remote() {
        return PeerIdentity.remoteAddress(ctx.channel());
    }

    private void logConnection(String format, Object... args) {
        if (engine.settings().connectionMessages) {
            LOG.info(LogMarkers.CONNECTION, format, args);
        }
    }

    private static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return (inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress()) + ":"
                    + inet.getPort();
        }
        return String.valueOf(address);
    }
}
