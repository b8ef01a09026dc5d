package io.culex.core.internal.protocol;

import io.culex.api.ClientInfo;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.session.Session;
import io.netty.channel.EventLoop;

/**
 * The will of one connection, from CONNECT to the end: published when the connection ends without a normal
 * DISCONNECT (or with DISCONNECT 0x04 "with will"), handed to the session when MQTT 5's Will Delay Interval applies,
 * discarded otherwise. Owns the will's {@link Message} reference until one of these happens. On the connection's
 * loop.
 */
final class ConnectionWill {

    private final Engine engine;
    private Message will;
    /** The MQTT 5 Will Delay Interval (0: not delayed). */
    private long delaySeconds;
    private boolean sendOnDisconnect;

    ConnectionWill(Engine engine) {
        this.engine = engine;
    }

    /** The will of CONNECT; ownership passes. */
    void set(Message message, long willDelaySeconds) {
        discard();
        will = message;
        delaySeconds = willDelaySeconds;
    }

    /** @return the will, or {@code null} (not retained for the caller) */
    Message message() {
        return will;
    }

    /** @return its MQTT 5 will delay interval */
    long delaySeconds() {
        return delaySeconds;
    }

    /** MQTT 5 DISCONNECT with reason code 0x04: the client asks for its will although it disconnects normally. */
    void sendOnDisconnect(boolean send) {
        sendOnDisconnect = send;
    }

    /** @return whether a normal DISCONNECT still publishes the will (reason code 0x04) */
    boolean isSentOnDisconnect() {
        return sendOnDisconnect;
    }

    /**
     * The connection ended without a normal DISCONNECT: publish the will now, or hand it to the session to publish
     * after its delay (at the latest when the session ends).
     */
    void sendOrDelay(Session session, ClientInfo client, EventLoop loop) {
        Message w = will;
        will = null;
        if (w == null) {
            return;
        }
        if (delaySeconds > 0 && session.isPersistent()) {
            session.delayWill(w, client, Math.min(delaySeconds, session.expirySeconds()));
            return;
        }
        try {
            engine.publishWill(w, client, loop);
        } finally {
            w.release();
        }
    }

    /** No will after all (a normal DISCONNECT, a refused CONNECT, a kick without will). */
    void discard() {
        if (will != null) {
            will.release();
            will = null;
        }
    }
}
