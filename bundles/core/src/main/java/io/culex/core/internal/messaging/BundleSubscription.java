package io.culex.core.internal.messaging;

import java.util.function.Consumer;

import io.culex.api.InternalSubscription;
import io.culex.api.MessageConsumer;
import io.culex.api.MessageSelector;
import io.culex.api.SubscriptionBuilder;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.SharedFilter;
import io.culex.core.internal.routing.Topics;

/** {@link SubscriptionBuilder}: collects the options, then starts an {@link InternalSubscriber}. */
public final class BundleSubscription implements SubscriptionBuilder {

    private final Engine engine;
    private final String filter;
    private final Consumer<InternalSubscriber> onOpen;
    private int qos = 2;
    private String origin;
    private boolean noLocal;
    private boolean retainAsPublished;
    private boolean sendRetained = true;
    private boolean listed = true;
    private boolean holdAcknowledgement;
    private MessageSelector selector;
    private boolean subscribed;

    /**
     * @param onOpen told of the subscription once it runs, so that its owner can close it with the owning bundle
     */
    public BundleSubscription(Engine engine, String filter, Consumer<InternalSubscriber> onOpen) {
        if (filter == null || !Topics.isValidSubscriptionFilter(filter)) {
            throw new IllegalArgumentException("not a valid topic filter: " + filter);
        }
        this.engine = engine;
        this.filter = filter;
        this.onOpen = onOpen;
    }

    @Override
    public SubscriptionBuilder qos(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + value);
        }
        qos = value;
        return this;
    }

    @Override
    public SubscriptionBuilder origin(String value) {
        origin = value;
        return this;
    }

    @Override
    public SubscriptionBuilder noLocal(boolean value) {
        noLocal = value;
        return this;
    }

    @Override
    public SubscriptionBuilder retainAsPublished(boolean value) {
        retainAsPublished = value;
        return this;
    }

    @Override
    public SubscriptionBuilder sendRetained(boolean value) {
        sendRetained = value;
        return this;
    }

    @Override
    public SubscriptionBuilder listed(boolean value) {
        listed = value;
        return this;
    }

    @Override
    public SubscriptionBuilder holdAcknowledgement(boolean value) {
        holdAcknowledgement = value;
        return this;
    }

    @Override
    public SubscriptionBuilder selector(MessageSelector value) {
        selector = value;
        return this;
    }

    @Override
    public synchronized InternalSubscription subscribe(MessageConsumer consumer) {
        java.util.Objects.requireNonNull(consumer, "consumer");
        if (subscribed) {
            throw new IllegalStateException("this subscription was started already");
        }
        boolean shared = SharedFilter.parse(filter) != null;
        if (shared && selector != null) {
            throw new IllegalArgumentException("a shared filter cannot have a selector: " + filter);
        }
        subscribed = true;
        InternalSubscriber subscriber = new InternalSubscriber(engine, filter, qos, origin, noLocal,
                retainAsPublished, listed, holdAcknowledgement, selector, consumer);
        onOpen.accept(subscriber);
        subscriber.start(sendRetained && !shared);
        return subscriber;
    }
}
