package io.culex.api.persistence;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

import io.culex.api.Nullable;

/**
 * An application message as the broker keeps it: queued for a session, in flight to it, or retained.
 *
 * <p>The broker's instances are views of its own message: {@link #payload()} and {@link #properties()} are
 * read-only buffers valid only during the call that handed the message over; a store copies what it keeps. A store
 * gives messages back at restore with {@link #of}.
 */
@ProviderType
public interface PersistedMessage {

    /** {@link #expiresAtMillis()} of a message that does not expire. */
    long NEVER_EXPIRES = Long.MAX_VALUE;

    /**
     * @return the message's id: unique among this broker's messages, also across restarts (ids of a later run
     *     are larger); the key of the stored payload
     */
    long id();

    /** @return the topic name */
    String topic();

    /** @return the payload, read-only, from its position to its limit */
    ByteBuffer payload();

    /** @return the QoS it was published with */
    int qos();

    /** @return the retain flag it was published with */
    boolean retain();

    /** @return the publishing client's id, or {@code null} if the broker or a bundle published it */
    @Nullable
    String publisherId();

    /**
     * @return the MQTT 5 properties forwarded to subscribers (payload format indicator, content type, response
     *     topic, correlation data, user properties) in their wire form: the property sequence of the MQTT 5
     *     specification, section 2.2.2, without its length prefix; empty if there are none. Read-only.
     */
    ByteBuffer properties();

    /** @return the wall-clock time (epoch milliseconds) at which it expires, or {@link #NEVER_EXPIRES} */
    long expiresAtMillis();

    /**
     * A message to give back at restore.
     *
     * @param id the id it was stored under
     * @param topic the topic name
     * @param payload the payload (not copied: do not change it afterwards)
     * @param qos 0, 1 or 2
     * @param retain the retain flag
     * @param publisherId the publisher's client id, or {@code null}
     * @param properties the forwarded MQTT 5 properties in wire form (not copied), empty for none
     * @param expiresAtMillis epoch milliseconds of expiry, or {@link #NEVER_EXPIRES}
     * @return the message
     */
    static PersistedMessage of(long id, String topic, byte[] payload, int qos, boolean retain,
                               @Nullable String publisherId, byte[] properties, long expiresAtMillis) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        ByteBuffer p = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        ByteBuffer props = ByteBuffer.wrap(properties).asReadOnlyBuffer();
        return new PersistedMessage() {
            @Override
            public long id() {
                return id;
            }

            @Override
            public String topic() {
                return topic;
            }

            @Override
            public ByteBuffer payload() {
                return p.duplicate();
            }

            @Override
            public int qos() {
                return qos;
            }

            @Override
            public boolean retain() {
                return retain;
            }

            @Override
            public String publisherId() {
                return publisherId;
            }

            @Override
            public ByteBuffer properties() {
                return props.duplicate();
            }

            @Override
            public long expiresAtMillis() {
                return expiresAtMillis;
            }

            @Override
            public String toString() {
                return "PersistedMessage[" + id + ", " + topic + ", q" + qos + (retain ? ", r" : "") + ", "
                        + payload.length + " bytes]";
            }
        };
    }
}
