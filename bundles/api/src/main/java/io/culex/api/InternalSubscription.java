package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A running subscription of a bundle inside the broker ({@link SubscriptionBuilder#subscribe}). Implemented by the
 * broker; thread-safe.
 *
 * @since 1.4
 */
@ProviderType
public interface InternalSubscription extends AutoCloseable {

    /** @return the topic filter, as given */
    String filter();

    /**
     * @return the messages given to the consumer and not yet {@link DeliveredMessage#complete() completed}; counted
     *     against {@code max_queued_messages}
     */
    int pending();

    /** @return how many messages were dropped because {@link #pending()} was at {@code max_queued_messages} */
    long dropped();

    /**
     * End the subscription: no message is given to the consumer after this returns, except one being given on
     * another thread right now. Messages not completed are released. Idempotent.
     */
    @Override
    void close();
}
