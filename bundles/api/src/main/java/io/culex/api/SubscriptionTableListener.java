package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Observes which topic filters this broker's subscriptions hold: a filter is added when its first subscription
 * appears and removed when its last one goes, whatever holds it (a client's session, connected or not, or a
 * bundle's {@link InternalSubscription} unless it is not {@linkplain SubscriptionBuilder#listed listed}). It is how
 * a bundle that routes messages between brokers learns which messages this one wants: a cluster node tells the
 * others its filters, and they forward only what matches.
 *
 * <p>Filters are reported as subscribed, so a shared subscription's filter is {@code $share/<group>/<filter>}; two
 * sessions with the same filter make one addition. Register it as an OSGi service (whiteboard). Right after
 * registration the listener receives {@link #filterAdded} for every filter held at that moment, then every change,
 * with no gap or overlap between the two.
 *
 * <p>Threading: the calls to one listener come one at a time, in the order of the changes, on a broker thread that
 * must not be blocked. They come after the change took effect, so a message routed just before may not have
 * matched yet. An exception is logged and the listener goes on receiving the next changes.
 *
 * @since 1.7
 */
@ConsumerType
public interface SubscriptionTableListener {

    /**
     * The first subscription with this filter appeared.
     *
     * @param filter the topic filter, as subscribed
     */
    void filterAdded(String filter);

    /**
     * The last subscription with this filter went (unsubscribed, or its session ended).
     *
     * @param filter the topic filter, as subscribed
     */
    void filterRemoved(String filter);
}
