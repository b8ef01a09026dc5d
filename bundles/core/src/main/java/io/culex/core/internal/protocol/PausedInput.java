package io.culex.core.internal.protocol;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.culex.core.internal.metrics.Stats;
import io.culex.core.internal.routing.Backlog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.util.ReferenceCountUtil;

/**
 * Flow control on one connection's input: while a subscriber its messages reach is congested, the client's
 * PUBLISH packets (and everything after them that depends on their order) are held, unacknowledged, instead of
 * being routed; acknowledgements of the client's own deliveries and PINGREQ still go through at once, so its
 * subscriptions keep flowing and its keep-alive holds. Once a bounded amount is held, reading from the socket
 * stops, and TCP pushes back on the client. A QoS 1/2 publisher gets no PUBACK/PUBREC for held messages, so its
 * own window stops it early.
 *
 * <p>The held packets are replayed in order on resume; one of them may pause the input again, and the rest wait.
 * A pause that lasts while the subscriber takes nothing for the stall time ends by declaring that subscriber
 * stalled (see {@link Backlog}), so one client that stops reading cannot stop its publishers for good.
 *
 * <p>Everything here runs on the connection's event loop except {@link #resume()}, which hands over to it.
 */
final class PausedInput {

    /** Held packets before reading stops. */
    static final int HOLD_PACKETS = 256;
    /** Held payload bytes before reading stops. */
    static final long HOLD_BYTES = 256 * 1024;

    private final ChannelHandlerContext ctx;
    private final Consumer<MqttMessage> dispatcher;
    private final Stats stats;
    private final long stallNanos;
    // small at first: most connections never hold anything (ArrayDeque's default holds 16, 80 bytes)
    private final ArrayDeque<MqttMessage> held = new ArrayDeque<>(2);
    private final AtomicBoolean resumeQueued = new AtomicBoolean();
    private final Runnable resumeTask = this::resumeNow;
    private long heldBytes;
    private boolean paused;
    private boolean readingStopped;
    private Backlog cause;
    private long pausedAt;
    private ScheduledFuture<?> stallCheck;

    /**
     * @param ctx the connection's context
     * @param dispatcher handles one replayed packet and releases it
     * @param stats where pauses are counted
     * @param stallMillis how long a subscriber may take nothing before it no longer paces this input
     */
    PausedInput(ChannelHandlerContext ctx, Consumer<MqttMessage> dispatcher, Stats stats, long stallMillis) {
        this.ctx = ctx;
        this.dispatcher = dispatcher;
        this.stats = stats;
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
    }

    /** @return whether this packet must wait: input is paused and the packet is not one that may overtake */
    boolean mustHold(MqttMessage packet) {
        return (paused || !held.isEmpty()) && !overtakes(packet);
    }

    /**
     * Acknowledgements of outgoing messages and PINGREQ do not depend on the order of the client's publishes;
     * letting them through keeps the client's own subscriptions draining (so two clients feeding each other
     * cannot hold each other up) and answers its keep-alive.
     */
    private static boolean overtakes(MqttMessage packet) {
        if (!packet.decoderResult().isSuccess() || packet.fixedHeader() == null) {
            return false;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        return type == MqttMessageType.PUBACK || type == MqttMessageType.PUBREC || type == MqttMessageType.PUBCOMP
                || type == MqttMessageType.PINGREQ;
    }

    /** Keep a packet until resume (ownership passes); reading stops once enough is held. */
    void hold(MqttMessage packet) {
        held.addLast(packet);
        heldBytes += sizeOf(packet);
        if (!readingStopped && (held.size() >= HOLD_PACKETS || heldBytes >= HOLD_BYTES)) {
            readingStopped = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private static int sizeOf(MqttMessage packet) {
        Object payload = packet.payload();
        return payload instanceof io.netty.buffer.ByteBuf ? ((io.netty.buffer.ByteBuf) payload).readableBytes() : 0;
    }

    /** @return whether the socket is not being read because of flow control (keep-alive does not apply then) */
    boolean isReadingStopped() {
        return readingStopped;
    }

    /** A message being routed reached a congested subscriber: hold what follows. */
    void pause(Backlog congested) {
        if (paused) {
            return;
        }
        paused = true;
        cause = congested;
        pausedAt = System.nanoTime();
        stats.publisherPaused();
        scheduleStallCheck(stallNanos);
    }

    private void scheduleStallCheck(long delayNanos) {
        stallCheck = ctx.executor().schedule(this::checkStall, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkStall() {
        if (!paused || cause == null) {
            return;
        }
        long since = Math.max(pausedAt, cause.lastProgressNanos());
        long waited = System.nanoTime() - since;
        if (waited >= stallNanos) {
            cause.stall(); // resumes every waiter, this one included
        } else {
            scheduleStallCheck(stallNanos - waited);
        }
    }

    /** From any thread: the subscriber caught up (or stalled); replay on the connection's loop. */
    void resume() {
        if (resumeQueued.compareAndSet(false, true)) {
            ctx.executor().execute(resumeTask);
        }
    }

    private void resumeNow() {
        resumeQueued.set(false);
        if (!paused) {
            return;
        }
        paused = false;
        cause = null;
        MqttConnection.cancel(stallCheck);
        stallCheck = null;
        replayHeld(true);
        if (!paused && readingStopped) {
            readingStopped = false;
            if (ctx.channel().isActive()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public String toString() {
        return "PausedInput[" + (paused ? "paused" : "running") + (readingStopped ? ", not reading" : "") + ", "
                + held.size() + " held, " + heldBytes + " bytes" + (resumeQueued.get() ? ", resume queued" : "") + "]";
    }

    /**
     * The socket closed: what the client sent before closing is handled now, in order and without pausing (its
     * publishes, and a DISCONNECT that makes the close a normal one, as a broker that had read them would), then the
     * flow control state is cleared. Bounded by what is held: one read beyond {@link #HOLD_PACKETS}.
     */
    void replayOnClose() {
        replayHeld(false);
        release();
    }

    /** Hand the held packets to the dispatcher in order; with {@code untilPaused}, stop when one pauses again. */
    private void replayHeld(boolean untilPaused) {
        MqttMessage packet;
        while (!(untilPaused && paused) && (packet = held.pollFirst()) != null) {
            heldBytes -= sizeOf(packet);
            dispatcher.accept(packet);
        }
    }

    /** Drop what is held (never acknowledged, so the client still owns it) and clear the state. */
    void release() {
        paused = false;
        cause = null;
        MqttConnection.cancel(stallCheck);
        stallCheck = null;
        MqttMessage packet;
        while ((packet = held.pollFirst()) != null) {
            ReferenceCountUtil.release(packet);
        }
        heldBytes = 0;
    }
}
