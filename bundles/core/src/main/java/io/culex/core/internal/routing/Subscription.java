package io.culex.core.internal.routing;

/**
 * One subscription of one subscriber to one topic filter, with its MQTT 5 options. Immutable: changing it replaces
 * the subscription.
 *
 * <p>When a message matches several subscriptions of one subscriber, the router merges them into one
 * (see {@link #mergedWith}): highest QoS, retain-as-published if any asks for it, every subscription identifier.
 */
public final class Subscription {

    private static final int[] NO_IDS = new int[0];

    private final Subscriber subscriber;
    private final String filter;
    private final String key;
    private final int qos;
    private final boolean noLocal;
    private final boolean retainAsPublished;
    private final int retainHandling;
    private final int[] subscriptionIds;
    private final String shareGroup;
    /** The group a shared subscription is a member of, once it is in the tree. */
    private volatile SharedGroup group;

    /** An MQTT 3.x style subscription: no options. */
    public Subscription(Subscriber subscriber, String filter, int qos) {
        this(subscriber, filter, qos, false, false, 0, 0);
    }

    /**
     * @param filter the topic filter as the client sent it; a {@code $share/<group>/<filter>} filter makes a
     *     shared subscription (the caller validated it)
     * @param subscriptionId the MQTT 5 subscription identifier, or 0 for none
     */
    public Subscription(Subscriber subscriber, String filter, int qos, boolean noLocal, boolean retainAsPublished,
                        int retainHandling, int subscriptionId) {
        this(subscriber, filter, qos, noLocal, retainAsPublished, retainHandling,
                subscriptionId == 0 ? NO_IDS : new int[] {subscriptionId});
    }

    private Subscription(Subscriber subscriber, String filter, int qos, boolean noLocal, boolean retainAsPublished,
                         int retainHandling, int[] subscriptionIds) {
        this.subscriber = subscriber;
        SharedFilter shared = SharedFilter.parse(filter);
        this.shareGroup = shared == null ? null : shared.group();
        this.key = filter;
        filter = shared == null ? filter : shared.filter();
        this.filter = filter;
        this.qos = qos;
        this.noLocal = noLocal;
        this.retainAsPublished = retainAsPublished;
        this.retainHandling = retainHandling;
        this.subscriptionIds = subscriptionIds;
    }

    public Subscriber subscriber() {
        return subscriber;
    }

    /** @return the filter topics are matched against (without a {@code $share/<group>/} prefix) */
    public String filter() {
        return filter;
    }

    /** @return the filter as the client sent it, which identifies the subscription within its session */
    public String key() {
        return key;
    }

    void joined(SharedGroup sharedGroup) {
        group = sharedGroup;
    }

    /** @return the group this shared subscription is a member of, or {@code null} */
    SharedGroup group() {
        return group;
    }

    /** @return the share group of a shared subscription, or {@code null} */
    public String shareGroup() {
        return shareGroup;
    }

    public int qos() {
        return qos;
    }

    /** @return MQTT 5 "no local": messages published by the same client id are not delivered through it */
    public boolean noLocal() {
        return noLocal;
    }

    /** @return MQTT 5 "retain as published": live deliveries keep the publisher's retain flag */
    public boolean retainAsPublished() {
        return retainAsPublished;
    }

    /** @return MQTT 5 retain handling: 0 send retained on subscribe, 1 only for a new subscription, 2 never */
    public int retainHandling() {
        return retainHandling;
    }

    /** @return the subscription identifiers to send with a delivery; empty for none (never modify) */
    public int[] subscriptionIds() {
        return subscriptionIds;
    }

    /** @return whether a message from this publisher may be delivered through this subscription */
    public boolean accepts(Message message) {
        if (!noLocal && !subscriber.isBridge()) {
            return true; // the common case: no client id comparison per delivery
        }
        return message.publisherId() == null || !message.publisherId().equals(subscriber.clientId());
    }

    /** @return one subscription standing for this and another matching one of the same subscriber */
    public Subscription mergedWith(Subscription other) {
        int[] ids = subscriptionIds;
        if (other.subscriptionIds.length > 0) {
            ids = java.util.Arrays.copyOf(subscriptionIds, subscriptionIds.length + other.subscriptionIds.length);
            System.arraycopy(other.subscriptionIds, 0, ids, subscriptionIds.length, other.subscriptionIds.length);
        }
        return new Subscription(subscriber, key, Math.max(qos, other.qos), false,
                retainAsPublished || other.retainAsPublished, retainHandling, ids);
    }

    @Override
    public String toString() {
        return key + " q" + qos;
    }
}
