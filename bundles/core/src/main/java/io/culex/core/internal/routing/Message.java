package io.culex.core.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.culex.core.internal.codec.PublishContent;
import io.culex.core.internal.codec.PublishEncoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * An application message as the broker routes it: immutable, reference counted, shared by every session it is
 * delivered to and by the retained store.
 *
 * <p>Ownership: whoever stores a Message (a queue, an inflight window, the retained store, a delivery batch) holds
 * one reference and releases it when done. The payload buffer belongs to the message and is released with it.
 *
 * <p>The QoS 0 form of the PUBLISH packet (retain flag clear) is the same bytes for every subscriber, so it is
 * encoded once, on first use, and shared as read-only duplicates.
 */
public final class Message extends AbstractReferenceCounted implements PublishContent {

    private static final AtomicReferenceFieldUpdater<Message, ByteBuf> QOS0_PACKET =
            AtomicReferenceFieldUpdater.newUpdater(Message.class, ByteBuf.class, "qos0Packet");
    private static final AtomicReferenceFieldUpdater<Message, ByteBuf> QOS0_PACKET_V5 =
            AtomicReferenceFieldUpdater.newUpdater(Message.class, ByteBuf.class, "qos0PacketV5");

    private final String topic;
    private final byte[] topicUtf8;
    private final ByteBuf payload;
    private final int qos;
    private final boolean retain;
    private final String publisherId;
    private final MessageProperties properties;
    /** {@link System#nanoTime()} after which the message must not be delivered; {@link Long#MAX_VALUE}: never. */
    private final long expiresAtNanos;
    /** The payload size when created, which is what {@link StoredMessages} counted. */
    private final int storedBytes;
    private volatile ByteBuf qos0Packet;
    private volatile ByteBuf qos0PacketV5;
    /** Unique, growing with time across runs: the key under which a store keeps the payload. */
    private final long id;
    /** Set by the publisher before routing when its acknowledgement waits for the deliveries; else null. */
    private Settlement settlement;

    /**
     * @param topic the topic name
     * @param payload the payload; ownership passes to the message
     * @param qos the QoS it was published with
     * @param retain the retain flag it was published with
     * @param publisherId the publishing client's id, or {@code null} for the broker itself
     */
    public Message(String topic, ByteBuf payload, int qos, boolean retain, String publisherId) {
        this(topic, payload, qos, retain, publisherId, MessageProperties.NONE, Long.MAX_VALUE);
    }

    /**
     * @param properties the MQTT 5 properties forwarded to subscribers
     * @param expiresAtNanos {@link System#nanoTime()} at which it expires, or {@link Long#MAX_VALUE}
     */
    public Message(String topic, ByteBuf payload, int qos, boolean retain, String publisherId,
                   MessageProperties properties, long expiresAtNanos) {
        this(MessageIds.next(), topic, payload, qos, retain, publisherId, properties, expiresAtNanos);
    }

    /**
     * A message with a known id (restored from a store); the next ids the broker assigns are larger.
     */
    public Message(long id, String topic, ByteBuf payload, int qos, boolean retain, String publisherId,
                   MessageProperties properties, long expiresAtNanos) {
        MessageIds.advancePast(id);
        this.id = id;
        this.topic = topic;
        this.topicUtf8 = topic.getBytes(StandardCharsets.UTF_8);
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.publisherId = publisherId;
        this.properties = properties;
        this.expiresAtNanos = expiresAtNanos;
        this.storedBytes = payload.readableBytes();
        StoredMessages.added(storedBytes);
    }

    /** @return a message expiring the given number of seconds from now (MQTT 5 message expiry interval) */
    public static long expiryFromNow(long seconds) {
        return System.nanoTime() + seconds * 1_000_000_000L;
    }

    /** @return the message's id, unique among this broker's messages, also across restarts */
    public long id() {
        return id;
    }

    /**
     * Make the deliveries of this message count towards a settlement (before it is routed, on the routing loop).
     */
    public void settleWith(Settlement s) {
        settlement = s;
    }

    /** @return the settlement its deliveries count towards, or {@code null} */
    public Settlement settlement() {
        return settlement;
    }

    @Override
    public byte[] propertiesWire() {
        return properties.wire();
    }

    public MessageProperties properties() {
        return properties;
    }

    public boolean hasExpiry() {
        return expiresAtNanos != Long.MAX_VALUE;
    }

    public boolean isExpired(long nowNanos) {
        return expiresAtNanos != Long.MAX_VALUE && nowNanos - expiresAtNanos >= 0;
    }

    /** @return the seconds left before expiry, at least 1 while not expired (for the forwarded expiry interval) */
    public long remainingExpirySeconds(long nowNanos) {
        long left = expiresAtNanos - nowNanos;
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    public long expiresAtNanos() {
        return expiresAtNanos;
    }

    public String topic() {
        return topic;
    }

    public byte[] topicUtf8() {
        return topicUtf8;
    }

    /** @return the payload; not retained for the caller: duplicate or retain it to keep it */
    public ByteBuf payload() {
        return payload;
    }

    public int payloadSize() {
        return payload.readableBytes();
    }

    public int qos() {
        return qos;
    }

    /** @return the retain flag it was published with */
    public boolean isRetain() {
        return retain;
    }

    /** @return the publishing client's id, or {@code null} if the broker published it */
    public String publisherId() {
        return publisherId;
    }

    /**
     * @param alloc allocator for the first encoding
     * @return a retained, read-only duplicate of the complete MQTT 3.1.1 QoS 0 PUBLISH packet (retain flag clear);
     *     the caller owns it
     */
    public ByteBuf qos0Packet(ByteBufAllocator alloc) {
        ByteBuf packet = qos0Packet;
        if (packet == null) {
            ByteBuf encoded = PublishEncoding.completePacket(alloc, this, 0, false, false, 0);
            if (QOS0_PACKET.compareAndSet(this, null, encoded)) {
                packet = encoded;
            } else {
                encoded.release();
                packet = qos0Packet;
            }
        }
        return packet.retainedDuplicate();
    }

    /**
     * The MQTT 5 form, shared only when no per-delivery property applies: the caller checks that the message has no
     * expiry and the subscriber no subscription identifier.
     *
     * @return a retained, read-only duplicate of the complete MQTT 5 QoS 0 PUBLISH packet (retain flag clear)
     */
    public ByteBuf qos0PacketV5(ByteBufAllocator alloc) {
        ByteBuf packet = qos0PacketV5;
        if (packet == null) {
            ByteBuf encoded = PublishEncoding.completePacketV5(alloc, this, 0, false, false, 0, null, 0);
            if (QOS0_PACKET_V5.compareAndSet(this, null, encoded)) {
                packet = encoded;
            } else {
                encoded.release();
                packet = qos0PacketV5;
            }
        }
        return packet.retainedDuplicate();
    }

    @Override
    public Message retain() {
        super.retain();
        return this;
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        StoredMessages.removed(storedBytes);
        payload.release();
        ByteBuf packet = qos0Packet;
        if (packet != null) {
            packet.release();
        }
        ByteBuf packetV5 = qos0PacketV5;
        if (packetV5 != null) {
            packetV5.release();
        }
    }

    @Override
    public String toString() {
        return "Message[" + topic + ", q" + qos + (retain ? ", r" : "") + ", " + payload.readableBytes() + " bytes]";
    }
}
