package io.culex.core.internal.messaging;

import java.util.concurrent.atomic.AtomicBoolean;

import io.culex.api.DeliveredMessage;
import io.culex.api.PublishProperties;
import io.culex.core.internal.routing.ForwardedProperties;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Settlement;
import io.netty.buffer.ByteBufUtil;

/**
 * One message given to a bundle's consumer. Holds a reference to the shared {@link Message} until completed (or the
 * subscription closes), so nothing is copied unless the consumer asks for the payload.
 */
final class Delivery implements DeliveredMessage {

    private final InternalSubscriber subscription;
    private final Message message;
    private final int qos;
    private final boolean retainFlag;
    private final int size;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ForwardedProperties properties;
    /** The publisher's settlement this delivery holds until completed, or {@code null}. */
    private final Settlement held;

    Delivery(InternalSubscriber subscription, Message message, int qos, boolean retainFlag, Settlement held) {
        this.subscription = subscription;
        this.message = message;
        this.qos = qos;
        this.retainFlag = retainFlag;
        this.size = message.payloadSize();
        this.held = held;
        if (held != null) {
            held.hold();
        }
    }

    int size() {
        return size;
    }

    /** Give up the reference to the message (once; later calls do nothing). */
    void release() {
        if (released.compareAndSet(false, true)) {
            message.release();
        }
    }

    /** The subscription closed: a publisher waiting for this delivery waits no more (as if it had been completed). */
    void abandon() {
        if (completed.compareAndSet(false, true) && held != null) {
            held.release();
        }
        release();
    }

    @Override
    public String topic() {
        return message.topic();
    }

    @Override
    public byte[] payload() {
        if (released.get()) {
            throw new IllegalStateException("the message was completed or its subscription closed");
        }
        return ByteBufUtil.getBytes(message.payload(), message.payload().readerIndex(), size, true);
    }

    @Override
    public int qos() {
        return qos;
    }

    @Override
    public boolean retain() {
        return retainFlag;
    }

    @Override
    public long messageExpiryInterval() {
        return message.hasExpiry() ? message.remainingExpirySeconds(System.nanoTime()) : -1;
    }

    @Override
    public PublishProperties properties() {
        ForwardedProperties p = properties;
        if (p == null) {
            p = ForwardedProperties.of(message.properties());
            properties = p;
        }
        return p;
    }

    @Override
    public String origin() {
        return message.publisherId();
    }

    @Override
    public void complete() {
        if (completed.compareAndSet(false, true)) {
            if (held != null) {
                held.release(); // the publisher's acknowledgement may go now
            }
            subscription.completed(this);
        }
    }

    @Override
    public String toString() {
        return "DeliveredMessage[" + message.topic() + ", q" + qos + (retainFlag ? ", retained" : "") + "]";
    }
}
