package io.culex.core.internal.routing;

import io.netty.channel.EventLoop;

/**
 * Something that receives routed messages: a client session (and later an internal subscriber such as a bridge).
 * Its state belongs to one event loop at a time, {@link #loop()}; {@link #deliver} is called only on that loop.
 */
public interface Subscriber {

    /** @return the event loop that owns the subscriber now; may change when a session moves to another connection */
    EventLoop loop();

    /** @return the client id, for MQTT 5 "no local" */
    String clientId();

    /** @return whether this is a client's session (not a bundle's subscription) */
    default boolean isClientSession() {
        return true;
    }

    /** What a subscriber makes of a message its filter matched (a bundle's subscription may decline or observe). */
    enum Interest {
        /** Deliver, and count as a subscriber the message reached. */
        TAKES,
        /** Deliver, but do not count: the subscriber only watches the traffic. */
        OBSERVES,
        /** Do not deliver. */
        DECLINES
    }

    /**
     * Called while routing, on the publisher's loop (not the subscriber's), possibly from several loops at once.
     *
     * @return what to do with a message that one of this subscriber's subscriptions matched
     */
    default Interest interest(Message message) {
        return Interest.TAKES;
    }

    /** @return whether a network connection is attached now (shared subscriptions prefer such members) */
    boolean isOnline();

    /**
     * Deliver one message, on {@link #loop()}. The subscriber retains the message if it keeps it.
     *
     * @param message the message
     * @param subscription the matching subscription (merged when several of this subscriber's matched)
     */
    void deliver(Message message, Subscription subscription);

    /** @return how far behind the subscriber is, which paces the publishers that feed it */
    Backlog backlog();

    /**
     * @return whether its subscriptions count in the filter table that {@link SubscriptionTree.FilterObserver}s
     *     see (a bundle's watching subscription may be left out)
     */
    default boolean listed() {
        return true;
    }

    /**
     * For {@link #deliver} implementations: if the caller is not on the subscriber's loop (it moved since the
     * message was routed), hand the delivery over to that loop.
     *
     * @return {@code true} if the delivery was handed over (the caller returns), {@code false} if it may go on here
     */
    static boolean handedToOwnLoop(Subscriber subscriber, Message message, Subscription subscription) {
        EventLoop own = subscriber.loop();
        if (own.inEventLoop()) {
            return false;
        }
        message.retain();
        Settlement settlement = message.settlement();
        if (settlement != null) {
            settlement.add();
        }
        own.execute(() -> {
            try {
                subscriber.deliver(message, subscription);
            } finally {
                if (settlement != null) {
                    settlement.done();
                }
                message.release();
            }
        });
        return true;
    }

    /**
     * @return whether the subscriber is a bridge from another broker (Mosquitto's {@code try_private}): its own
     *     messages are not sent back to it, and it receives the retain flag as published
     */
    default boolean isBridge() {
        return false;
    }

    /** @return how many subscriptions the subscriber has; more than one means a message may match it twice */
    int subscriptionCount();
}
