package io.culex.core.internal.persistence;

import java.nio.ByteBuffer;

import io.culex.api.persistence.PersistedMessage;
import io.culex.core.internal.routing.Message;

/**
 * A broker message as a store sees it: no copy, the buffers are views valid while the caller holds the message
 * (during the event).
 */
final class MessageView implements PersistedMessage {

    private final Message message;

    MessageView(Message message) {
        this.message = message;
    }

    static PersistedMessage of(Message message) {
        return message == null ? null : new MessageView(message);
    }

    @Override
    public long id() {
        return message.id();
    }

    @Override
    public String topic() {
        return message.topic();
    }

    @Override
    public ByteBuffer payload() {
        return message.payload().nioBuffer().asReadOnlyBuffer();
    }

    @Override
    public int qos() {
        return message.qos();
    }

    @Override
    public boolean retain() {
        return message.isRetain();
    }

    @Override
    public String publisherId() {
        return message.publisherId();
    }

    @Override
    public ByteBuffer properties() {
        return ByteBuffer.wrap(message.properties().wire()).asReadOnlyBuffer();
    }

    @Override
    public long expiresAtMillis() {
        if (!message.hasExpiry()) {
            return NEVER_EXPIRES;
        }
        return System.currentTimeMillis() + (message.expiresAtNanos() - System.nanoTime()) / 1_000_000L;
    }

    @Override
    public String toString() {
        return "PersistedMessage[" + message + ", id " + message.id() + "]";
    }
}
