package io.culex.core.internal.routing;

import io.netty.channel.EventLoop;

/**
 * Something that receives routed messages: a client session (and later an internal subscriber such as a bridge).
 * Its state belongs to one event loop at a time, {@link #loop()}; {@link #deliver} is called only on that loop.
 */
public interface Subscriber {

    /** @return the event loop that owns the subscriber now; may change when a session moves to another connection */
    EventLoop loop();

    /**
     * Deliver one message, on {@link #loop()}. The subscriber retains the message if it keeps it.
     *
     * @param message the message
     * @param qos the QoS of the matching subscription (highest of several)
     */
    void deliver(Message message, int qos);

    /** @return how many subscriptions the subscriber has; more than one means a message may match it twice */
    int subscriptionCount();
}
