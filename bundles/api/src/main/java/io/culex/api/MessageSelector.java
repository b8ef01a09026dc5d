package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides, while a message is being routed, whether an {@link InternalSubscription} takes it: for a bundle that
 * passes messages on only when somebody further on wants them. A cluster node subscribes to {@code #} with a
 * selector that takes what another node has a subscriber for; everything else never reaches its consumer, costs
 * no hand-over between threads, and leaves an MQTT 5 publisher free to hear 0x10 "no matching subscribers".
 * Set with {@link SubscriptionBuilder#selector}. Implemented by the bundle.
 *
 * <p>Threading: called on the publisher's broker thread for every message that matches the subscription's filter
 * and passes its other options (no local), from several threads at once. It must be fast, must not block and must
 * be safe for concurrent calls. An exception it throws is logged and counts as {@link Selection#DELIVER}: a
 * selector's failure never loses a message.
 *
 * @since 1.9
 */
@ConsumerType
@FunctionalInterface
public interface MessageSelector {

    /** What the subscription does with one message. */
    enum Selection {
        /**
         * The consumer gets the message, and the subscription counts as a subscriber that matched it (in
         * {@link PublishResult#subscribers()} and for MQTT 5's 0x10): somebody further on wants it.
         */
        DELIVER,
        /**
         * The consumer gets the message, but does not count as a subscriber that matched it: it only watches the
         * traffic (a cluster node keeps every node's copy of a retained message current, whether or not anyone
         * subscribes to its topic).
         */
        OBSERVE,
        /** The consumer does not get the message, and it does not count. */
        SKIP
    }

    /**
     * @param topic the message's topic
     * @param retain whether the message is retained (a publication with the retain flag set, or a retained
     *     message sent because the subscription started)
     * @return what the subscription does with the message; {@code null} counts as {@link Selection#DELIVER}
     */
    Selection select(String topic, boolean retain);
}
