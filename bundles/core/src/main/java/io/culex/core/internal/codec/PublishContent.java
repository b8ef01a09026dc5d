package io.culex.core.internal.codec;

import io.netty.buffer.ByteBuf;

/**
 * What the PUBLISH encoder needs of a message: the bytes that are the same for every subscriber. The routed message
 * implements it, so the wire encoding sits below routing and sessions and knows nothing of them.
 */
public interface PublishContent {

    /** @return the topic in UTF-8 */
    byte[] topicUtf8();

    /** @return the payload (not retained for the caller) */
    ByteBuf payload();

    int payloadSize();

    /** @return the MQTT 5 properties forwarded to subscribers, in wire form without the length prefix */
    byte[] propertiesWire();

    /** @return whether it carries a message expiry */
    boolean hasExpiry();

    /** @return the seconds left before it expires (at least 1), for the forwarded Message Expiry Interval */
    long remainingExpirySeconds(long nowNanos);
}
