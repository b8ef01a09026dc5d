package io.culex.core.internal.protocol;

import io.culex.core.internal.codec.PublishEncoding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientInfo;
import io.culex.api.ProtocolVersion;
import io.culex.core.internal.engine.ConnectedClient;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.Backlog;
import io.culex.core.internal.routing.FlowSource;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.SharedFilter;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.session.SessionConnection;
import io.culex.core.internal.session.SessionRegistry;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.transport.PeerIdentity;
import io.culex.core.internal.validation.PacketViolation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
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
 * <p>The pieces of the protocol live in small classes of their own, each on this connection's loop:
 * {@code ConnectHandshake} (CONNECT to the request for the session), {@code EnhancedAuthExchange} (MQTT 5 AUTH),
 * {@code PublishRequests} and {@code SubscriptionRequests}. This class keeps the state machine, the dispatch, the
 * session's attachment and the close.
 *
 * <p>Every packet that reaches this handler is released here (or its ownership is passed on explicitly); no
 * exception leaves it for Netty's default handler: a malformed packet or a protocol violation closes this
 * connection, logged with the client id, and nothing else.
 */
public final class MqttConnection extends ChannelInboundHandlerAdapter
        implements SessionConnection, SessionRegistry.Claimant, FlowSource, ConnectedClient {

    public static final String HANDLER_NAME = "mqtt";
    /** The MQTT 5 reason code for {@link #kick(String, int)} at shutdown. */
    public static final int SERVER_SHUTTING_DOWN = ReasonCodes.SERVER_SHUTTING_DOWN;

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** A connection that does not send CONNECT within this time is closed. */
    private static final long CONNECT_TIMEOUT_SECONDS = 20;
    private static final String UNKNOWN_CLIENT = "<unknown>";

    /**
     * AUTHENTICATING: waiting for extensions to answer (reading paused, early packets held); AWAIT_AUTH: waiting for
     * the client's next AUTH packet of an enhanced authentication exchange before CONNACK.
     */
    enum State { AWAIT_CONNECT, AUTHENTICATING, AWAIT_AUTH, CONNECTED, CLOSED }

    private final Engine engine;
    private final ListenerSettings listener;
    private final int listenerPort;
    private final EnhancedAuthExchange enhancedAuth;
    private final ConnectHandshake handshake;
    private final SubscriptionRequests subscriptions;
    private final PublishRequests publishes;
    private ChannelHandlerContext ctx;
    private PausedInput input;
    private State state = State.AWAIT_CONNECT;
    private ClientContext client;
    private Session session;
    private final ConnectionWill will;
    private boolean graceful;
    private boolean takenOver;
    private String closeReason;
    private boolean flushPending;
    private final PacketsHeldForAuthentication pending = new PacketsHeldForAuthentication();
    private final Acknowledgements acknowledgements = new Acknowledgements(this::writeAcknowledgement);
    private ScheduledFuture<?> connectTimeout;

    public MqttConnection(Engine engine, ListenerSettings listener, int listenerPort) {
        this.engine = engine;
        this.listener = listener;
        this.listenerPort = listenerPort;
        this.enhancedAuth = new EnhancedAuthExchange(this, engine);
        this.handshake = new ConnectHandshake(this, engine, listener, listenerPort, enhancedAuth);
        this.subscriptions = new SubscriptionRequests(this, engine, listener);
        this.publishes = new PublishRequests(this, engine, listener);
        this.will = new ConnectionWill(engine);
    }

    // ---------------------------------------------------------------- Netty events

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        this.input = new PausedInput(context, this::process, engine.stats(), engine.settings().flowControlStallMillis);
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
        engine.stats().packetReceived();
        if (state == State.AUTHENTICATING && packet.decoderResult().isSuccess()) {
            hold(packet);
            return;
        }
        if (state == State.CONNECTED && input.mustHold(packet)) {
            input.hold(packet);
            return;
        }
        process(packet);
    }

    /** Handle one packet and release it. */
    private void process(MqttMessage packet) {
        try {
            handle(packet);
        } catch (RuntimeException e) {
            // a bug of ours must cost this connection, not the broker
            engine.stats().internalError();
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
            if (input.isReadingStopped()) {
                return; // the broker is not reading (flow control): the client is not the one that is idle
            }
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
            engine.stats().internalError();
            LOG.warn("Client {}: unexpected error, disconnecting: {}", id(), cause.toString(), cause);
            close("error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel(connectTimeout);
        handshake.cancelTimer();
        enhancedAuth.cancelTimer();
        releasePending();
        input.replayOnClose();
        endSession();
        state = State.CLOSED;
        discardWill();
        acknowledgements.discard();
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
    void close(String reason, int reasonCode) {
        if (closeReason == null) {
            closeReason = reason;
        }
        // after the client's own DISCONNECT the connection just closes: only the broker's decisions are told
        boolean tellClient = isMqtt5() && !graceful && state == State.CONNECTED && ctx.channel().isActive();
        endSession();
        if (tellClient) {
            engine.stats().controlPacketSent();
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
        if (!graceful || will.isSentOnDisconnect()) {
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
            enhancedAuth.onPacketDuringAuthentication(type);
            return;
        }
        switch (type) {
            case CONNECT:
                engine.stats().connectReceived();
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
                onPubrel(packetId(packet));
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
                enhancedAuth.onAuth(packet);
                break;
            default:
                protocolViolation("unexpected " + type);
        }
    }

    private void onDecodeFailure(Throwable cause) {
        if (cause instanceof PacketViolation) {
            onViolation((PacketViolation) cause);
            return;
        }
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
        // packets over the maximum are refused by the validator (a PacketViolation), before the decoder sees them
        LOG.info("Client {} disconnected due to malformed packet: {}", id(), cause == null ? "?" : cause.getMessage());
        close("malformed packet", ReasonCodes.MALFORMED_PACKET);
    }

    /**
     * A packet that breaks the specification: an MQTT 5 client learns the reason code (in the CONNACK when the
     * CONNECT was at fault, else in a DISCONNECT); an MQTT 3.x connection just closes, except that a refused client
     * identifier gets its CONNACK return code as in 3.1.1.
     */
    private void onViolation(PacketViolation violation) {
        int reason = violation.reasonCode();
        if (state == State.AWAIT_CONNECT) {
            LOG.info("Client {} refused: {}.", address(remote()), violation.getMessage());
            state = State.CLOSED;
            if (violation.protocolLevel() == 5) {
                engine.stats().controlPacketSent();
                ctx.writeAndFlush(Mqtt5Packets.refusal(alloc(), reason)).addListener(f -> ctx.close());
            } else {
                ctx.close();
            }
            return;
        }
        if (reason == ReasonCodes.PACKET_TOO_LARGE) {
            LOG.info("Client {} sent {}, disconnecting.", id(), violation.getMessage());
            close("packet too large", reason);
        } else {
            LOG.info("Client {} disconnected due to {}: {}.", id(),
                    reason == ReasonCodes.MALFORMED_PACKET ? "malformed packet" : "protocol error",
                    violation.getMessage());
            close(reason == ReasonCodes.MALFORMED_PACKET ? "malformed packet" : "protocol error", reason);
        }
    }

    /**
     * PUBREL: the incoming QoS 2 exchange ends. When a store keeps the packet id, PUBCOMP waits until its removal
     * is durable: a PUBCOMP followed by a restart that still knew the id would swallow the client's next message
     * with that id as a retransmission.
     */
    private void onPubrel(int id) {
        boolean known = session.endIncomingQos2(id);
        int reason = known || !isMqtt5() ? ReasonCodes.SUCCESS : ReasonCodes.PACKET_IDENTIFIER_NOT_FOUND;
        if (!known || !session.isStored()) {
            acknowledge(PublishEncoding.ack(alloc(), PublishEncoding.PUBCOMP, id, reason));
            return;
        }
        completeWhenDurable(acknowledgements.reserve(), failure -> {
            if (failure != null) {
                LOG.warn("Client {}: the store could not record the end of QoS 2 message {} ({}); disconnecting so "
                        + "that it sends PUBREL again.", id(), id, failure.toString());
                close("store failure", ReasonCodes.UNSPECIFIED_ERROR);
                return null;
            }
            return PublishEncoding.ack(alloc(), PublishEncoding.PUBCOMP, id, reason);
        });
    }

    // ---------------------------------------------------------------- acknowledgements

    /** Send an acknowledgement in request order (after those waiting for a store). Ownership passes. */
    void acknowledge(Object packet) {
        acknowledgements.send(packet);
    }

    /** @return a place in the acknowledgement order for one that must wait for durability */
    Acknowledgements.Slot reserveAcknowledgement() {
        return acknowledgements.reserve();
    }

    /**
     * Fill a reserved acknowledgement that need not wait for a store (nothing it acknowledges was stored), on this
     * connection's loop. Any thread.
     */
    void completeNow(Acknowledgements.Slot slot, java.util.function.Supplier<Object> packet) {
        onLoop(() -> acknowledgements.complete(slot, state == State.CLOSED ? null : packet.get()));
    }

    /**
     * Fill a reserved acknowledgement once the stores have made durable what they heard so far, on this
     * connection's loop. Any thread.
     *
     * @param packet builds the packet, given the stores' failure or {@code null}; may return {@code null} (and
     *     close the connection) to send nothing
     */
    void completeWhenDurable(Acknowledgements.Slot slot,
                             java.util.function.Function<Throwable, Object> packet) {
        engine.persistence().sync().whenComplete((v, failure) -> completeNow(slot, () -> packet.apply(failure)));
    }

    /** Run a task on this connection's loop: now if the caller is on it, else handed over. Any thread. */
    void onLoop(Runnable task) {
        EventLoop loop = ctx.channel().eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private void writeAcknowledgement(Object packet) {
        if (state == State.CLOSED) {
            ReferenceCountUtil.release(packet);
        } else if (packet instanceof ByteBuf) {
            write((ByteBuf) packet);
        } else {
            writeControl(packet);
        }
    }

    void protocolViolation(String what) {
        protocolViolation(what, ReasonCodes.PROTOCOL_ERROR);
    }

    void protocolViolation(String what, int reasonCode) {
        LOG.info("Client {} disconnected due to protocol error: {}.", id(), what);
        close("protocol error", reasonCode);
    }

    private void onConnect(MqttConnectMessage connect) {
        if (state != State.AWAIT_CONNECT) {
            protocolViolation("second CONNECT");
            return;
        }
        cancel(connectTimeout);
        connectTimeout = null; // a cancelled task kept referenced costs every idle connection its 64 bytes
        handshake.onConnect(connect);
    }

    private void onDisconnect(MqttMessage packet) {
        if (isMqtt5()) {
            Object header = packet.variableHeader();
            if (header instanceof MqttReasonCodeAndPropertiesVariableHeader) {
                MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) header;
                will.sendOnDisconnect((h.reasonCode() & 0xFF) == ReasonCodes.DISCONNECT_WITH_WILL);
                Integer expiry = Mqtt5Packets.intProperty(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
                if (expiry != null) {
                    if (handshake.sessionExpirySeconds() == 0 && expiry != 0) {
                        protocolViolation("session expiry set on DISCONNECT after connecting with 0");
                        return;
                    }
                    session.setExpirySeconds(Mqtt5Packets.expirySeconds(expiry));
                }
            }
        }
        graceful = true;
        if (!will.isSentOnDisconnect()) {
            discardWill();
        }
        close("disconnected");
    }

    // ---------------------------------------------------------------- session wiring

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
        boolean present = sessionPresent && !handshake.cleanSession()
                && client.protocolVersion() != ProtocolVersion.MQTT_3_1;
        if (isMqtt5()) {
            publishes.acceptTopicAliases();
        }
        MqttConnAckMessage connack = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(present)
                .properties(isMqtt5() ? handshake.connackProperties() : MqttProperties.NO_PROPERTIES)
                .build();
        engine.stats().controlPacketSent();
        ctx.write(connack, ctx.voidPromise());
        scheduleFlush();
        int keepAliveSeconds = handshake.keepAliveSeconds();
        if (keepAliveSeconds > 0) {
            // MQTT: the server disconnects after one and a half keepalive periods without a packet
            ctx.pipeline().addBefore(HANDLER_NAME, "keepalive",
                    new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        ConnectedClient previous = engine.connected().put(client.clientId(), this);
        if (previous != null && previous != this) {
            LOG.debug("Client {}: replaced connection in the directory", client.clientId());
        }
        engine.stats().clientConnected();
        if (engine.settings().connectionMessages) {
            LOG.info(LogMarkers.CONNECTION, "New client connected from {} as {} (p{}, c{}, k{}{}).", address(remote()), client.clientId(),
                    client.protocolVersion() == ProtocolVersion.MQTT_3_1 ? 1 : 2, handshake.cleanSession() ? 1 : 0,
                    keepAliveSeconds, client.username() == null ? "" : ", u'" + client.username() + "'");
        }
        s.attach(this);
        engine.events().connected(client, present);
        replayPending();
        ctx.channel().config().setAutoRead(true);
    }

    /** @return the Receive Maximum the broker announces: how many incoming QoS 2 messages may wait for PUBREL */
    int serverReceiveMaximum() {
        int max = engine.settings().maxInflightMessages;
        return max == 0 ? 65535 : Math.min(max, 65535);
    }

    @Override
    public void sessionSuperseded() {
        if (state == State.AUTHENTICATING) {
            abandon("superseded by a newer connection with the same client id");
        }
    }

    /** Refuse the client: a CONNACK with the code (translated for MQTT 5), then close. The will is discarded. */
    void refuse(MqttConnectReturnCode code) {
        refuse(code, null);
    }

    /** @param reasonString an MQTT 5 Reason String for the CONNACK, or {@code null} */
    void refuse(MqttConnectReturnCode code, String reasonString) {
        state = State.CLOSED;
        discardWill();
        if (isMqtt5()) {
            code = Mqtt5Packets.toMqtt5(code);
        }
        MqttProperties properties = MqttProperties.NO_PROPERTIES;
        if (reasonString != null && isMqtt5()) {
            properties = new MqttProperties();
            properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reasonString));
        }
        MqttConnAckMessage connack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false)
                .properties(properties).build();
        engine.stats().controlPacketSent();
        ctx.writeAndFlush(connack).addListener(f -> ctx.close());
    }

    private void hold(MqttMessage packet) {
        if (!pending.hold(packet)) {
            pending.release();
            protocolViolation("too many packets before CONNACK");
        }
    }

    private void replayPending() {
        pending.replay(packet -> {
            if (state == State.AUTHENTICATING) {
                hold(packet); // a replayed AUTH started the next step: the rest waits for its answer, in order
                return;
            }
            try {
                handle(packet);
            } finally {
                ReferenceCountUtil.release(packet);
            }
        });
    }

    private void releasePending() {
        pending.release();
    }

    // ---------------------------------------------------------------- will

    /** The will of a connection that ended without a normal DISCONNECT, now or after its MQTT 5 delay. */
    private void sendOrDelayWill(Session s) {
        will.sendOrDelay(s, client, ctx.channel().eventLoop());
    }

    private void discardWill() {
        will.discard();
    }

    // ---------------------------------------------------------------- for the request handlers

    /** @return the session of the connected client */
    Session session() {
        return session;
    }

    /** @return the client, as extensions see it (from CONNECT on; {@code null} before) */
    ClientContext clientContext() {
        return client;
    }

    /** Write a control packet encoded by Netty's MqttEncoder (SUBACK, UNSUBACK, AUTH); flushed with the burst. */
    void writeControl(Object packet) {
        engine.stats().controlPacketSent();
        ctx.write(packet, ctx.voidPromise());
        scheduleFlush();
    }

    // ---------------------------------------------------------------- for the CONNECT handshake and the AUTH exchange

    /** @return where the connection is in the protocol */
    State state() {
        return state;
    }

    /** @return the CONNECT handshake, which an enhanced authentication exchange completes before CONNACK */
    ConnectHandshake handshake() {
        return handshake;
    }

    /** The client from CONNECT; replaced when use_username_as_clientid gives it its user name as client id. */
    void setClientContext(ClientContext client) {
        this.client = client;
    }

    /**
     * The will of CONNECT. The connection owns its buffer from here: it publishes and releases the will, hands it
     * to the session as a delayed will, or releases it unsent.
     */
    void setWill(Message message, long delaySeconds) {
        will.set(message, delaySeconds);
    }

    /**
     * Extensions are being asked (after CONNECT, or after the client's AUTH reply before CONNACK): reading stops,
     * and packets the client pipelined meanwhile are held until the answer, then replayed in order.
     */
    void pauseForAuthentication() {
        state = State.AUTHENTICATING;
        ctx.channel().config().setAutoRead(false);
    }

    /**
     * The broker sent AUTH "continue authentication" before CONNACK: the held packets replay (the client's reply
     * may be among them) and reading resumes for the reply.
     */
    void awaitAuthReply() {
        state = State.AWAIT_AUTH;
        replayPending();
        ctx.channel().config().setAutoRead(true);
    }

    /**
     * Close before CONNACK without a packet to the client (none is due: the client left, or another connection
     * took its session); the will is discarded.
     */
    void abandon(String reason) {
        closeReason = reason;
        discardWill();
        ctx.close();
    }

    // ---------------------------------------------------------------- FlowSource

    @Override
    public void pause(Backlog cause) {
        input.pause(cause);
    }

    @Override
    public void resume() {
        input.resume();
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
        if ((packet.getByte(packet.readerIndex()) & 0xF0) != 0x30) {
            engine.stats().controlPacketSent(); // PUBLISH packets are counted by the session
        }
        ctx.write(packet, ctx.voidPromise());
        scheduleFlush();
    }

    @Override
    public void write(ByteBuf publishHeader, ByteBuf payload) {
        ctx.write(publishHeader, ctx.voidPromise());
        ctx.write(payload, ctx.voidPromise());
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
    public Message will() {
        return will.message();
    }

    @Override
    public long willDelaySeconds() {
        return will.delaySeconds();
    }

    @Override
    public void takenOver() {
        takenOver = true;
        boolean tellClient = isMqtt5() && state == State.CONNECTED;
        state = State.CLOSED;
        Session s = session;
        session = null;
        engine.connected().remove(client.clientId(), this);
        engine.stats().clientDisconnected();
        sendOrDelayWill(s);
        engine.events().disconnected(client, false);
        if (tellClient) {
            engine.stats().controlPacketSent();
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
    @Override
    public void kickForShutdown() {
        kick("broker shutting down", ReasonCodes.SERVER_SHUTTING_DOWN);
    }

    @Override
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
        return handshake.isMqtt5();
    }

    @Override
    public int receiveMaximum() {
        return handshake.clientReceiveMaximum();
    }

    @Override
    public long maximumPacketSize() {
        return handshake.clientMaximumPacketSize();
    }

    /** @return whether the client accepts Reason Strings on acknowledgements (MQTT 5 Request Problem Information) */
    boolean requestsProblemInformation() {
        return handshake.requestProblemInformation();
    }

    /** @return the channel, for the broker's administration */
    public Channel channel() {
        return ctx.channel();
    }

    // ---------------------------------------------------------------- helpers

    String id() {
        return client != null ? client.clientId() : UNKNOWN_CLIENT;
    }

    SocketAddress remote() {
        return PeerIdentity.remoteAddress(ctx.channel());
    }

    void logConnection(String format, Object... args) {
        if (engine.settings().connectionMessages) {
            LOG.info(LogMarkers.CONNECTION, format, args);
        }
    }

    private static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    static void cancel(ScheduledFuture<?> future) {
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
