package io.culex.api.persistence;

import java.util.Objects;

/**
 * One subscription of a stored session, with its MQTT 5 options.
 *
 * @param filter the topic filter as the client sent it (inside the listener's mount point), possibly
 *     {@code $share/<group>/<filter>}; the key within the session
 * @param qos the granted QoS
 * @param noLocal MQTT 5 no local
 * @param retainAsPublished MQTT 5 retain as published
 * @param retainHandling MQTT 5 retain handling (0, 1 or 2)
 * @param subscriptionId the MQTT 5 subscription identifier, 0 for none
 * @since 1.0
 */
public record PersistedSubscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
                                    int retainHandling, int subscriptionId) {

    public PersistedSubscription {
        Objects.requireNonNull(filter, "filter");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
    }
}
