package io.culex.persistence.internal;

import java.nio.ByteBuffer;

import io.culex.api.persistence.PersistedMessage;

/**
 * A message as the store keeps it: its own copies of the bytes, and how many entries (outgoing entries, the
 * retained entry of its topic) refer to it, so that it is dropped with the last one.
 */
final class StoredMessage {

    final long id;
    final String topic;
    final byte[] payload;
    final int qos;
    final boolean retain;
    final String publisherId;
    final byte[] properties;
    final long expiresAtMillis;
    int references;

    StoredMessage(long id, String topic, byte[] payload, int qos, boolean retain, String publisherId,
                  byte[] properties, long expiresAtMillis) {
        this.id = id;
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.publisherId = publisherId;
        this.properties = properties;
        this.expiresAtMillis = expiresAtMillis;
    }

    /** @return a copy of the broker's message, whose buffers are valid only during the event */
    static StoredMessage copyOf(PersistedMessage m) {
        return new StoredMessage(m.id(), m.topic(), bytes(m.payload()), m.qos(), m.retain(), m.publisherId(),
                bytes(m.properties()), m.expiresAtMillis());
    }

    PersistedMessage toPersisted() {
        return PersistedMessage.of(id, topic, payload, qos, retain, publisherId, properties, expiresAtMillis);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
