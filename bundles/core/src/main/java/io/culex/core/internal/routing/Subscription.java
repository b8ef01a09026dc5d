package io.culex.core.internal.routing;

/**
 * One subscription of one subscriber to one topic filter. Immutable: changing the QoS replaces the subscription.
 */
public final class Subscription {

    private final Subscriber subscriber;
    private final String filter;
    private final int qos;

    public Subscription(Subscriber subscriber, String filter, int qos) {
        this.subscriber = subscriber;
        this.filter = filter;
        this.qos = qos;
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    public String filter() {
        return filter;
    }

    public int qos() {
        return qos;
    }

    @Override
    public String toString() {
        return filter + " q" + qos;
    }
}
