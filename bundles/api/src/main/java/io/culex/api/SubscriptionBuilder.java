package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A subscription a bundle makes inside the broker, without a network connection: from
 * {@link Broker#newSubscription(String)}. Implemented by the broker. The options are MQTT 5's subscription options.
 *
 * @since 1.4
 */
@ProviderType
public interface SubscriptionBuilder {

    /**
     * @param qos the maximum QoS of deliveries (a message is delivered at the lower of its QoS and this); 2 by
     *     default
     * @throws IllegalArgumentException if not 0, 1 or 2
     */
    SubscriptionBuilder qos(int qos);

    /**
     * @param origin this subscription's identity for no local (see {@link PublishBuilder#origin}); {@code null},
     *     the default, has none
     */
    SubscriptionBuilder origin(@Nullable String origin);

    /** @param noLocal do not deliver messages published with this subscription's origin; {@code false} by default */
    SubscriptionBuilder noLocal(boolean noLocal);

    /**
     * @param retainAsPublished keep the retain flag of routed messages as their publisher set it; by default it is
     *     clear on routed messages and set only on retained messages sent because of the subscription
     */
    SubscriptionBuilder retainAsPublished(boolean retainAsPublished);

    /**
     * @param sendRetained whether the retained messages matching the filter are delivered when the subscription
     *     starts (MQTT 5 Retain Handling 0 against 2); {@code true} by default, never for a shared filter
     */
    SubscriptionBuilder sendRetained(boolean sendRetained);

    /**
     * @param listed whether the subscription's filter counts in the subscription table that
     *     {@link SubscriptionTableListener}s see; {@code true} by default. A bundle that watches traffic to copy it
     *     elsewhere (a cluster node subscribing to {@code #} to forward what other nodes want) is not listed, so it
     *     does not make this broker look interested in every topic.
     * @since 1.7
     */
    SubscriptionBuilder listed(boolean listed);

    /**
     * @param holdAcknowledgement whether a QoS 1/2 publisher's acknowledgement (PUBACK, PUBREC) waits until the
     *     consumer {@linkplain DeliveredMessage#complete() completes} this subscription's delivery of its message;
     *     {@code false} by default (it waits for routing only). For a consumer that passes messages on and must not
     *     let a publisher believe a message is safe before it is: a cluster node waits for the node it forwarded
     *     the message to. A delivery dropped at {@code max_queued_messages}, or pending when the subscription
     *     closes, holds nothing.
     * @since 1.7
     */
    SubscriptionBuilder holdAcknowledgement(boolean holdAcknowledgement);

    /**
     * @param selector decides per message, while it is routed, whether the consumer gets it and whether the
     *     subscription counts as a subscriber that matched it (see {@link MessageSelector}); {@code null}, the
     *     default, takes every matching message and counts for each
     * @throws IllegalArgumentException at {@link #subscribe} if the filter is shared ({@code $share/...}): a share
     *     group picks its member before any selector could decline
     * @since 1.9
     */
    SubscriptionBuilder selector(@Nullable MessageSelector selector);

    /**
     * Start the subscription. From now on every message routed to a matching topic is given to the consumer, as to
     * a client's session: wildcards and {@code $}-topic rules apply, a {@code $share/<group>/<filter>} filter makes
     * the subscription a member of that share group. No access control applies (the bundle is trusted).
     *
     * @param consumer receives the messages; see {@link MessageConsumer} for threading and flow control
     * @return the running subscription; close it when done (the broker closes a bundle's subscriptions when the
     *     bundle releases its {@link Broker} service)
     * @throws IllegalArgumentException if the filter is not a valid topic filter
     * @throws IllegalStateException if this builder already subscribed, or the broker is not running
     */
    InternalSubscription subscribe(MessageConsumer consumer);
}
