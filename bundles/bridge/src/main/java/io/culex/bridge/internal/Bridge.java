package io.culex.bridge.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Broker;
import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;
import io.culex.api.PublishBuilder;
import io.culex.bridge.BridgeState;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One running bridge: Mosquitto's bridge between the local broker and one remote broker.
 *
 * <p>Local side: an {@link InternalSubscription} per {@code out}/{@code both} topic (no local, with the bridge's
 * local client id as origin, so that what the bridge brings in never goes back out), and
 * {@link Broker#newMessage} for what comes in. Remote side: an MQTT client on netty-codec-mqtt, reconnecting with
 * {@link RestartBackoff}.
 *
 * <p>Threading: all state below is touched only on the bridge's event loop; the local subscriptions hand their
 * messages over to it, and {@link #state()} reads volatile snapshots. Nothing here blocks the loop: host names are
 * resolved on another thread.
 *
 * <p>Delivery: a local QoS 1/2 message is completed (freed from the local subscription's queue) only once the
 * remote broker acknowledged it, so an outage keeps it queued, bounded by the broker's {@code max_queued_messages},
 * and it flows when the connection returns; QoS 0 messages are dropped while disconnected, as Mosquitto does. A
 * remote QoS 1/2 message is acknowledged only once the local broker has routed it.
 */
final class Bridge {

    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
    /** How often a bridge on a secondary address checks whether the main one is back (Mosquitto: 5 s). */
    private static final int PRIMARY_PROBE_SECONDS = 5;
    /** Mosquitto's max_inflight_messages default, which its bridges use; an MQTT 5 remote may ask for fewer. */
    static final int MAX_IN_FLIGHT = 20;
    /** MQTT's largest packet, used when bridge_max_packet_size is not set (Netty's own default is 8092 bytes). */
    private static final int MAX_PACKET_SIZE = 268_435_455;
    private static final byte[] CONNECTED = "1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISCONNECTED = "0".getBytes(StandardCharsets.US_ASCII);

    private final BridgeSettings settings;
    private final Broker broker;
    private final EventLoop loop;
    private final Executor resolver;
    private final SslContext sslContext;
    private final RestartBackoff backoff;

    /** written once by start(), read by state() from any thread */
    private final List<InternalSubscription> localSubscriptions = new CopyOnWriteArrayList<>();
    private final PacketIds packetIds = new PacketIds();
    private final OutgoingQueue outgoing = new OutgoingQueue(packetIds);
    /** QoS 2 messages received from the remote broker whose PUBREL has not come yet (exactly once) */
    private final Set<Integer> incomingQos2 = new HashSet<>();
    /** SUBSCRIBE/UNSUBSCRIBE packet ids awaiting their acknowledgement, with the filters for the log */
    private final Map<Integer, List<String>> pendingSubscribes = new HashMap<>();

    private Channel channel;
    private boolean connected;
    /** a connection attempt is resolving the host name: no second attempt starts meanwhile */
    private boolean resolving;
    private boolean stopped;
    private boolean pingOutstanding;
    /** the remote refused the try_private protocol level; connect with the standard one from now on */
    private boolean privateRefused;
    /** the next attempt starts without waiting: the main address is back, or the remote refused try_private */
    private boolean reconnectAtOnce;
    private int addressIndex;
    private int window = MAX_IN_FLIGHT;
    private RemoteLimits limits = RemoteLimits.NONE;
    private boolean flushScheduled;
    private ScheduledFuture<?> restart;
    private ScheduledFuture<?> connAckTimeout;
    private ScheduledFuture<?> idleCheck;
    private ScheduledFuture<?> primaryProbe;
    private long lastMessageNanos;

    private volatile boolean connectedView;
    private volatile Instant since = Instant.now();
    private volatile RemoteAddress addressView;
    private volatile String lastError;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicInteger queuedView = new AtomicInteger();

    Bridge(BridgeSettings settings, Broker broker, EventLoop loop, Executor resolver, SslContext sslContext) {
        this.settings = settings;
        this.broker = broker;
        this.loop = loop;
        this.resolver = resolver;
        this.sslContext = sslContext;
        this.backoff = settings.newBackoff((low, high) -> ThreadLocalRandom.current().nextInt(low, high + 1));
    }

    String name() {
        return settings.name();
    }

    // ---------------------------------------------------------------- life cycle (called by the component)

    /** Subscribes locally and, unless the bridge is lazy, starts connecting. */
    void start() {
        publishLocalState(DISCONNECTED);
        for (TopicMapping mapping : settings.topics()) {
            if (mapping.direction().outgoing()) {
                localSubscriptions.add(broker.newSubscription(mapping.localFilter())
                        .qos(mapping.qos())
                        .origin(settings.localClientId())
                        .noLocal(true)
                        .retainAsPublished(true)
                        .subscribe(message -> onLocalMessage(mapping, message)));
            }
        }
        loop.execute(() -> {
            if (settings.startType() != BridgeSettings.StartType.LAZY) {
                connect();
            }
        });
    }

    /**
     * Stops the bridge: no more local messages, the connection closed, the state notification set to 0. Messages
     * still queued are given up (completed) so that the local subscriptions release them.
     *
     * @return completes on the bridge's loop once stopped
     */
    CompletableFuture<Void> stop() {
        localSubscriptions.forEach(InternalSubscription::close);
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                stopOnLoop();
                done.complete(null);
            });
        } catch (RejectedExecutionException loopGone) {
            done.complete(null);
        }
        return done;
    }

    private void stopOnLoop() {
        stopped = true;
        cancel(restart);
        cancel(connAckTimeout);
        cancel(idleCheck);
        cancel(primaryProbe);
        if (channel != null) {
            Channel closing = channel;
            if (connected && !(settings.notifications() && !settings.notificationsLocalOnly())) {
                closing.writeAndFlush(Packets.disconnect()).addListener(ChannelFutureListener.CLOSE);
            } else {
                // Without DISCONNECT, so that the remote broker publishes the bridge's will: state 0 there too.
                closing.close();
            }
        }
        List<OutgoingMessage> abandoned = outgoing.drain();
        abandoned.forEach(OutgoingMessage::finish);
        queuedView.set(0);
        long lost = abandoned.stream().filter(message -> !message.bridgeState).count();
        if (lost > 0) {
            LOG.warn("Bridge {} stopped with {} message(s) not delivered to the remote broker", name(), lost);
        }
        publishLocalState(DISCONNECTED);
    }

    BridgeState state() {
        RemoteAddress address = addressView;
        // the local subscriptions drop what arrives while max_queued_messages are pending (an outage outlasting it)
        long droppedLocally = localSubscriptions.stream().mapToLong(InternalSubscription::dropped).sum();
        return new BridgeState(name(), settings.remoteClientId(), connectedView, since,
                address == null ? null : address.toString(), sent.get(), received.get(),
                dropped.get() + droppedLocally, queuedView.get(), attempts.get(), lastError);
    }

    // ---------------------------------------------------------------- local side

    /** On a broker thread: a local message for the remote broker. */
    private void onLocalMessage(TopicMapping mapping, DeliveredMessage message) {
        String remoteTopic = mapping.toRemote(message.topic());
        boolean retain = settings.outgoingRetain() && message.retain();
        MqttProperties properties = settings.isV5() ? PropertiesMapping.toRemote(message) : MqttProperties.NO_PROPERTIES;
        OutgoingMessage outgoingMessage =
                new OutgoingMessage(remoteTopic, message.payload(), message.qos(), retain, properties, message::complete);
        try {
            loop.execute(() -> enqueue(outgoingMessage));
        } catch (RejectedExecutionException loopGone) {
            outgoingMessage.finish();
        }
    }

    private void enqueue(OutgoingMessage message) {
        if (stopped) {
            message.finish();
            return;
        }
        lastMessageNanos = System.nanoTime();
        if (message.qos == 0) {
            if (connected && limits.fits(message)) {
                // completed once written: until then it counts against the local subscription, which bounds it
                channel.write(Packets.publish(limits, message, 0, false)).addListener(written -> message.finish());
                sent.incrementAndGet();
                flushSoon();
            } else {
                // as Mosquitto: QoS 0 is not queued while the bridge is down
                dropped.incrementAndGet();
                message.finish();
            }
            return;
        }
        outgoing.add(message);
        queuedView.set(outgoing.size());
        if (!connected && channel == null && !resolving && settings.startType() == BridgeSettings.StartType.LAZY
                && outgoing.size() >= settings.threshold()) {
            cancel(restart);
            connect();
        }
        sendWaiting();
    }

    private void sendWaiting() {
        if (!connected) {
            return;
        }
        boolean wrote = false;
        for (OutgoingMessage message = outgoing.nextToSend(window); message != null;
                message = outgoing.nextToSend(window)) {
            if (!limits.fits(message)) {
                outgoing.acknowledge(message.packetId);
                LOG.warn("Bridge {}: a message on {} is larger than the remote broker's maximum packet size ({} "
                        + "bytes); dropped", name(), message.topic, limits.maximumPacketSize());
                dropped.incrementAndGet();
                message.finish();
                continue;
            }
            channel.write(Packets.publish(limits, message, message.packetId, false));
            if (limits.qosFor(message) == 0) {
                // the remote broker's Maximum QoS is 0: nothing will acknowledge it
                outgoing.acknowledge(message.packetId);
                delivered(message, 0);
            }
            wrote = true;
        }
        queuedView.set(outgoing.size());
        if (wrote) {
            flushSoon();
        }
    }

    /**
     * One flush for everything written by the tasks already queued on the loop: local messages arrive as one task
     * each, and a flush per message would cost a system call each.
     */
    private void flushSoon() {
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        loop.execute(() -> {
            flushScheduled = false;
            if (channel != null) {
                channel.flush();
            }
        });
    }

    private void publishLocalState(byte[] state) {
        if (!settings.notifications()) {
            return;
        }
        try {
            broker.newMessage(settings.notificationTopic()).payload(state).qos(1).retain(true)
                    .origin(settings.localClientId()).publish();
        } catch (IllegalStateException | IllegalArgumentException e) {
            LOG.debug("Bridge {}: state notification not published locally: {}", name(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- connecting

    private void connect() {
        if (stopped || channel != null || resolving) {
            return;
        }
        resolving = true;
        RemoteAddress address = settings.addresses().get(addressIndex % settings.addresses().size());
        addressView = address;
        attempts.incrementAndGet();
        // Name resolution may block (InetAddress), so it runs off the event loop.
        CompletableFuture.supplyAsync(() -> resolve(address), resolver).whenComplete((resolved, failure) -> {
            try {
                loop.execute(() -> connectTo(address, resolved, failure));
            } catch (RejectedExecutionException loopGone) {
                // the bundle is stopping
            }
        });
    }

    private static InetSocketAddress resolve(RemoteAddress address) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + address.host());
        }
    }

    private void connectTo(RemoteAddress address, InetSocketAddress resolved, Throwable failure) {
        resolving = false;
        if (stopped) {
            return;
        }
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            connectionLost(address, false, cause.getMessage());
            return;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.SECONDS.toMillis(
                        Math.min(settings.keepaliveSeconds(), 30)))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (sslContext != null) {
                            pipeline.addLast("tls", sslContext.newHandler(ch.alloc(), address.host(), address.port()));
                        }
                        if (settings.marksConnectPrivate() && !privateRefused) {
                            pipeline.addLast("try-private", new TryPrivateMarker());
                        }
                        pipeline.addLast("decoder", new MqttDecoder(settings.maxPacketSize() > 0
                                ? settings.maxPacketSize() : MAX_PACKET_SIZE));
                        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
                        pipeline.addLast("keepalive", new IdleStateHandler(settings.keepaliveSeconds(),
                                settings.keepaliveSeconds(), 0, TimeUnit.SECONDS));
                        pipeline.addLast("bridge", new RemoteHandler(Bridge.this));
                    }
                });
        if (settings.bindAddress() != null) {
            bootstrap.localAddress(settings.bindAddress(), 0);
        }
        Channel connecting = bootstrap.connect(resolved).addListener(future -> {
            if (!future.isSuccess()) {
                lastError = "cannot connect to " + address + ": " + future.cause().getMessage();
            }
        }).channel();
        channel = connecting;
        connecting.closeFuture().addListener(future -> onClosed(connecting, address));
    }

    void onChannelActive(Channel ch) {
        if (ch != channel) {
            return;
        }
        ch.writeAndFlush(Packets.connect(settings, DISCONNECTED)).addListener(written -> {
            if (!written.isSuccess()) {
                onProtocolError(ch, "cannot send CONNECT: " + written.cause());
            }
        });
        connAckTimeout = loop.schedule(() -> {
            if (ch == channel && !connected) {
                lastError = "no CONNACK from " + addressView + " within " + settings.keepaliveSeconds() + " s";
                ch.close();
            }
        }, settings.keepaliveSeconds(), TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- remote packets

    void onPacket(Channel ch, MqttMessage message) {
        if (ch != channel) {
            return;
        }
        pingOutstanding = false;
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> onConnAck(ch, (MqttConnAckMessage) message);
            case PUBLISH -> onPublish(ch, (MqttPublishMessage) message);
            case PUBACK -> onPubAck(Packets.packetId(message), Packets.reasonCode(message));
            case PUBREC -> onPubRec(ch, Packets.packetId(message), Packets.reasonCode(message));
            case PUBREL -> {
                incomingQos2.remove(Packets.packetId(message));
                ch.writeAndFlush(Packets.reply(MqttMessageType.PUBCOMP, Packets.packetId(message)));
            }
            case PUBCOMP -> onPubComp(Packets.packetId(message));
            case SUBACK -> onSubAck((MqttSubAckMessage) message);
            case UNSUBACK -> pendingSubscribes.remove(Packets.packetId(message));
            case PINGRESP -> { }
            case DISCONNECT -> lastError = "the remote broker disconnected the bridge" + Packets.disconnectReason(message);
            default -> onProtocolError(ch, "unexpected " + message.fixedHeader().messageType()
                    + " from the remote broker");
        }
    }

    private void onConnAck(Channel ch, MqttConnAckMessage connAck) {
        cancel(connAckTimeout);
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            if (code == MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION
                    && settings.marksConnectPrivate() && !privateRefused) {
                // Mosquitto does the same: a remote that does not know try_private gets a standard CONNECT.
                privateRefused = true;
                reconnectAtOnce = true;
                LOG.info("Bridge {}: {} refused the bridge protocol flag (try_private); connecting without it",
                        name(), addressView);
                lastError = null;
            } else {
                lastError = "connection refused by " + addressView + ": " + code;
            }
            ch.close();
            return;
        }
        connected = true;
        connectedView = true;
        since = Instant.now();
        lastError = null;
        lastMessageNanos = System.nanoTime();
        backoff.reset();
        limits = RemoteLimits.of(connAck);
        window = Math.max(1, Math.min(MAX_IN_FLIGHT, limits.receiveMaximum()));
        if (limits.serverKeepAlive() > 0 && limits.serverKeepAlive() != settings.keepaliveSeconds()) {
            // MQTT 5: the server's keep alive replaces the one the bridge asked for
            ch.pipeline().replace("keepalive", "keepalive", new IdleStateHandler(limits.serverKeepAlive(),
                    limits.serverKeepAlive(), 0, TimeUnit.SECONDS));
        }
        LOG.info("Bridge {} connected to {} as {}", name(), addressView, settings.remoteClientId());
        boolean sessionPresent = connAck.variableHeader().isSessionPresent();
        if (!sessionPresent) {
            incomingQos2.clear();
        }
        // a SUBSCRIBE/UNSUBSCRIBE of the previous connection gets no acknowledgement now; its id is free again
        pendingSubscribes.keySet().forEach(packetIds::release);
        pendingSubscribes.clear();
        subscribeRemote(ch);
        if (sessionPresent) {
            for (OutgoingMessage message : outgoing.inFlight()) {
                ch.write(message.released ? Packets.reply(MqttMessageType.PUBREL, message.packetId)
                        : Packets.publish(limits, message, message.packetId, true));
            }
        } else {
            for (OutgoingMessage delivered : outgoing.restartWithoutSession()) {
                delivered.finish();
                sent.incrementAndGet();
            }
        }
        if (settings.notifications()) {
            publishLocalState(CONNECTED);
            if (!settings.notificationsLocalOnly()) {
                OutgoingMessage notification = new OutgoingMessage(settings.notificationTopic(), CONNECTED, 1, true,
                        MqttProperties.NO_PROPERTIES, () -> { });
                notification.bridgeState = true;
                outgoing.addFirst(notification);
            }
        }
        sendWaiting();
        ch.flush();
        if (settings.startType() == BridgeSettings.StartType.LAZY) {
            scheduleIdleCheck(ch);
        }
        if (!settings.roundRobin() && addressIndex % settings.addresses().size() != 0) {
            schedulePrimaryProbe(ch);
        }
    }

    /** Subscribes to the incoming topics; with cleansession false, unsubscribes the outgoing-only ones (Mosquitto). */
    private void subscribeRemote(Channel ch) {
        MqttMessageBuilders.SubscribeBuilder subscribe = MqttMessageBuilders.subscribe();
        List<String> filters = new ArrayList<>();
        List<String> outgoingOnly = new ArrayList<>();
        for (TopicMapping mapping : settings.topics()) {
            if (mapping.direction().incoming()) {
                // MQTT 5: no local is the standard form of try_private; retain as published keeps retain flags
                subscribe.addSubscription(mapping.remoteFilter(), new MqttSubscriptionOption(
                        MqttQoS.valueOf(mapping.qos()), settings.isV5(), settings.isV5(),
                        MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE));
                filters.add(mapping.remoteFilter());
            } else {
                outgoingOnly.add(mapping.remoteFilter());
            }
        }
        if (!filters.isEmpty()) {
            int id = packetIds.allocate();
            pendingSubscribes.put(id, filters);
            ch.write(subscribe.messageId(id).build());
        }
        if (settings.attemptUnsubscribe() && !settings.cleanSession() && !outgoingOnly.isEmpty()) {
            int id = packetIds.allocate();
            pendingSubscribes.put(id, outgoingOnly);
            MqttMessageBuilders.UnsubscribeBuilder unsubscribe = MqttMessageBuilders.unsubscribe().messageId(id);
            outgoingOnly.forEach(unsubscribe::addTopicFilter);
            ch.write(unsubscribe.build());
        }
    }

    private void onSubAck(MqttSubAckMessage subAck) {
        int id = subAck.variableHeader().messageId();
        List<String> filters = pendingSubscribes.remove(id);
        packetIds.release(id);
        if (filters == null) {
            return;
        }
        List<Integer> codes = subAck.payload().reasonCodes();
        for (int i = 0; i < codes.size() && i < filters.size(); i++) {
            if (codes.get(i) >= 0x80) {
                LOG.warn("Bridge {}: the remote broker refused the subscription to {} (reason 0x{})", name(),
                        filters.get(i), Integer.toHexString(codes.get(i)));
            }
        }
    }

    private void onPublish(Channel ch, MqttPublishMessage publish) {
        String remoteTopic = publish.variableHeader().topicName();
        int qos = publish.fixedHeader().qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        lastMessageNanos = System.nanoTime();
        if (qos == 2 && incomingQos2.contains(packetId)) {
            ch.writeAndFlush(Packets.reply(MqttMessageType.PUBREC, packetId)); // a resend: routed once already
            return;
        }
        TopicMapping mapping = settings.topics().stream().filter(m -> m.matchesRemote(remoteTopic)).findFirst()
                .orElse(null);
        if (mapping == null) {
            LOG.debug("Bridge {}: message on {} matches no incoming topic; acknowledged and dropped", name(),
                    remoteTopic);
            acknowledgeIncoming(ch, qos, packetId);
            return;
        }
        byte[] payload = new byte[publish.payload().readableBytes()];
        publish.payload().getBytes(publish.payload().readerIndex(), payload);
        PublishBuilder local;
        try {
            local = broker.newMessage(mapping.toLocal(remoteTopic)).payload(payload).qos(qos)
                    .retain(publish.fixedHeader().isRetain()).origin(settings.localClientId());
            if (settings.isV5()) {
                PropertiesMapping.toLocal(publish.variableHeader().properties(), local);
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("Bridge {}: message on {} not published locally: {}", name(), remoteTopic, e.getMessage());
            acknowledgeIncoming(ch, qos, packetId);
            return;
        }
        if (qos == 2) {
            incomingQos2.add(packetId);
        }
        CompletionStage<?> routed;
        try {
            routed = local.publish();
        } catch (IllegalStateException brokerStopping) {
            routed = CompletableFuture.failedFuture(brokerStopping);
        }
        routed.whenComplete((result, failure) -> {
            if (failure == null) {
                received.incrementAndGet();
            }
            if (qos == 0) {
                return;
            }
            try {
                loop.execute(() -> {
                    if (failure != null) {
                        // not routed (the broker is stopping): no acknowledgement, so the remote broker sends it
                        // again, and then it must be published, not taken for a duplicate
                        incomingQos2.remove(packetId);
                    } else if (ch == channel && ch.isActive()) {
                        acknowledgeIncoming(ch, qos, packetId);
                    }
                });
            } catch (RejectedExecutionException loopGone) {
                // the bundle is stopping; the remote broker sends it again to the next connection
            }
        });
    }

    private void acknowledgeIncoming(Channel ch, int qos, int packetId) {
        if (qos == 1) {
            ch.writeAndFlush(Packets.reply(MqttMessageType.PUBACK, packetId));
        } else if (qos == 2) {
            ch.writeAndFlush(Packets.reply(MqttMessageType.PUBREC, packetId));
        }
    }

    private void onPubAck(int packetId, int reasonCode) {
        OutgoingMessage message = outgoing.acknowledge(packetId);
        if (message != null) {
            delivered(message, reasonCode);
        }
        sendWaiting();
    }

    private void onPubRec(Channel ch, int packetId, int reasonCode) {
        OutgoingMessage message = outgoing.inFlight(packetId);
        if (message == null) {
            ch.writeAndFlush(Packets.reply(MqttMessageType.PUBREL, packetId));
            return;
        }
        if (reasonCode >= 0x80) {
            outgoing.acknowledge(packetId);
            delivered(message, reasonCode);
            sendWaiting();
            return;
        }
        message.released = true;
        ch.writeAndFlush(Packets.reply(MqttMessageType.PUBREL, packetId));
    }

    private void onPubComp(int packetId) {
        OutgoingMessage message = outgoing.acknowledge(packetId);
        if (message != null) {
            delivered(message, 0);
        }
        sendWaiting();
    }

    private void delivered(OutgoingMessage message, int reasonCode) {
        if (reasonCode >= 0x80) {
            dropped.incrementAndGet();
            LOG.warn("Bridge {}: the remote broker refused a message on {} (reason 0x{})", name(), message.topic,
                    Integer.toHexString(reasonCode));
        } else if (!message.bridgeState) {
            sent.incrementAndGet();
        }
        message.finish();
        queuedView.set(outgoing.size());
    }

    // ---------------------------------------------------------------- keepalive, errors, reconnecting

    /** Keepalive: a PINGREQ when the bridge has sent nothing, or heard nothing, for a keepalive interval. */
    void onIdle(Channel ch, IdleStateEvent idle) {
        if (ch != channel || !connected) {
            return;
        }
        if (idle.state() == IdleState.READER_IDLE && pingOutstanding) {
            lastError = "no answer from " + addressView + " within the keepalive interval";
            ch.close();
            return;
        }
        if (!pingOutstanding) {
            pingOutstanding = true;
            ch.writeAndFlush(Packets.pingReq());
        }
    }

    void onProtocolError(Channel ch, String error) {
        if (ch == channel) {
            lastError = error;
        }
        ch.close();
    }

    private void onClosed(Channel ch, RemoteAddress address) {
        if (ch != channel) {
            return;
        }
        boolean wasConnected = connected;
        channel = null;
        connected = false;
        connectedView = false;
        pingOutstanding = false;
        cancel(connAckTimeout);
        cancel(idleCheck);
        cancel(primaryProbe);
        since = Instant.now();
        outgoing.removeBridgeState();
        queuedView.set(outgoing.size());
        if (wasConnected) {
            publishLocalState(DISCONNECTED);
            if (lastError == null) {
                lastError = "connection closed by the remote broker";
            }
        }
        connectionLost(address, wasConnected, lastError);
    }

    private void connectionLost(RemoteAddress address, boolean wasConnected, String error) {
        lastError = error;
        if (stopped) {
            return;
        }
        boolean immediately = reconnectAtOnce;
        reconnectAtOnce = false;
        if (settings.addresses().size() > 1) {
            // a failed attempt tries the next address; a lost connection goes back to the first unless round_robin
            addressIndex = !wasConnected || settings.roundRobin() ? (addressIndex + 1) % settings.addresses().size() : 0;
        }
        if (settings.startType() == BridgeSettings.StartType.ONCE) {
            LOG.warn("Bridge {} {} {} ({}); start_type once: not restarting", name(),
                    wasConnected ? "lost its connection to" : "could not connect to", address, error);
            return;
        }
        if (settings.startType() == BridgeSettings.StartType.LAZY && outgoing.size() < settings.threshold()) {
            LOG.info("Bridge {} disconnected from {}; lazy: connecting again at {} queued message(s)", name(),
                    address, settings.threshold());
            return;
        }
        int delay = immediately ? 0 : backoff.nextDelaySeconds();
        if (wasConnected) {
            LOG.warn("Bridge {} lost its connection to {} ({}); reconnecting in {} s", name(), address, error, delay);
        } else if (delay > 0) {
            LOG.warn("Bridge {} could not connect to {} ({}); retrying in {} s", name(), address, error, delay);
        }
        restart = loop.schedule(this::connect, delay, TimeUnit.SECONDS);
    }

    /**
     * Mosquitto's {@code round_robin false}: the first address is the main one, so while connected to another the
     * bridge tries a TCP connection to the first every {@link #PRIMARY_PROBE_SECONDS}; once it answers, the bridge
     * leaves the secondary and connects to the first again.
     */
    private void schedulePrimaryProbe(Channel ch) {
        primaryProbe = loop.schedule(() -> {
            if (ch != channel || !connected) {
                return;
            }
            RemoteAddress primary = settings.addresses().get(0);
            CompletableFuture.supplyAsync(() -> resolve(primary), resolver).whenComplete((resolved, failure) -> {
                try {
                    loop.execute(() -> probe(ch, primary, resolved, failure));
                } catch (RejectedExecutionException loopGone) {
                    // the bundle is stopping
                }
            });
        }, PRIMARY_PROBE_SECONDS, TimeUnit.SECONDS);
    }

    private void probe(Channel ch, RemoteAddress primary, InetSocketAddress resolved, Throwable failure) {
        if (ch != channel || !connected || stopped) {
            return;
        }
        if (failure != null) {
            schedulePrimaryProbe(ch);
            return;
        }
        new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TimeUnit.SECONDS.toMillis(PRIMARY_PROBE_SECONDS))
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                .connect(resolved).addListener((ChannelFutureListener) probing -> {
                    probing.channel().close();
                    if (ch != channel || !connected) {
                        return;
                    }
                    if (probing.isSuccess()) {
                        LOG.info("Bridge {}: the main address {} answers again; leaving {}", name(), primary,
                                addressView);
                        lastError = "moving back to the main address " + primary;
                        reconnectAtOnce = true;
                        ch.close();
                    } else {
                        schedulePrimaryProbe(ch);
                    }
                });
    }

    /** start_type lazy: disconnect after idle_timeout without messages either way. */
    private void scheduleIdleCheck(Channel ch) {
        idleCheck = loop.schedule(() -> {
            long idleSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastMessageNanos);
            if (ch != channel || !connected) {
                return;
            }
            if (idleSeconds >= settings.idleTimeoutSeconds() && outgoing.size() == 0) {
                LOG.info("Bridge {}: idle for {} s, disconnecting (start_type lazy)", name(), idleSeconds);
                lastError = "disconnected after idle_timeout (start_type lazy)";
                if (settings.notifications() && !settings.notificationsLocalOnly()) {
                    // a DISCONNECT discards the will, so the remote side is told the state first
                    ch.write(Packets.publish(limits, new OutgoingMessage(settings.notificationTopic(), DISCONNECTED, 0, true,
                            MqttProperties.NO_PROPERTIES, () -> { }), 0, false));
                }
                ch.writeAndFlush(Packets.disconnect()).addListener(ChannelFutureListener.CLOSE);
            } else {
                scheduleIdleCheck(ch);
            }
        }, 1, TimeUnit.SECONDS);
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
