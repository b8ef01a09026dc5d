package io.culex.core.internal.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.culex.api.PublishBuilder;
import io.culex.api.PublishResult;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.ForwardedProperties;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.Settlement;
import io.culex.core.internal.routing.Topics;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

/** {@link PublishBuilder}: collects the message on the caller's thread, publishes it on a broker loop. */
public final class BundlePublish implements PublishBuilder {

    private static final long MAX_EXPIRY = 0xFFFF_FFFFL;

    private final Engine engine;
    private final String topic;
    private byte[] payload = new byte[0];
    private int qos;
    private boolean retain;
    private long expirySeconds = -1;
    private Boolean utf8;
    private String contentType;
    private String responseTopic;
    private byte[] correlationData;
    private final List<java.util.Map.Entry<String, String>> userProperties = new ArrayList<>();
    private String origin;
    private boolean intercept = true;
    private boolean storeRetained = true;
    private boolean route = true;
    private java.util.Set<String> shareGroups;
    private java.util.Set<String> recipients;
    private java.util.Set<String> excludedRecipients;
    private boolean published;

    public BundlePublish(Engine engine, String topic) {
        if (topic == null || !Topics.isValidTopicName(topic)) {
            throw new IllegalArgumentException("not a valid topic name: " + topic);
        }
        this.engine = engine;
        this.topic = topic;
    }

    @Override
    public PublishBuilder payload(byte[] bytes) {
        payload = bytes.clone();
        return this;
    }

    @Override
    public PublishBuilder qos(int value) {
        if (value < 0 || value > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + value);
        }
        qos = value;
        return this;
    }

    @Override
    public PublishBuilder retain(boolean value) {
        retain = value;
        return this;
    }

    @Override
    public PublishBuilder messageExpiryInterval(long seconds) {
        if (seconds < 0 || seconds > MAX_EXPIRY) {
            throw new IllegalArgumentException("message expiry interval out of range: " + seconds);
        }
        expirySeconds = seconds;
        return this;
    }

    @Override
    public PublishBuilder payloadFormatUtf8(boolean value) {
        utf8 = value;
        return this;
    }

    @Override
    public PublishBuilder contentType(String value) {
        contentType = value;
        return this;
    }

    @Override
    public PublishBuilder responseTopic(String value) {
        if (value != null && !Topics.isValidTopicName(value)) {
            throw new IllegalArgumentException("not a valid response topic: " + value);
        }
        responseTopic = value;
        return this;
    }

    @Override
    public PublishBuilder correlationData(byte[] data) {
        correlationData = data == null ? null : data.clone();
        return this;
    }

    @Override
    public PublishBuilder userProperty(String name, String value) {
        userProperties.add(java.util.Map.entry(java.util.Objects.requireNonNull(name, "name"),
                java.util.Objects.requireNonNull(value, "value")));
        return this;
    }

    @Override
    public PublishBuilder origin(String value) {
        origin = value;
        return this;
    }

    @Override
    public PublishBuilder intercept(boolean value) {
        intercept = value;
        return this;
    }

    @Override
    public PublishBuilder storeRetained(boolean value) {
        storeRetained = value;
        return this;
    }

    @Override
    public PublishBuilder route(boolean value) {
        route = value;
        return this;
    }

    @Override
    public PublishBuilder shareGroups(java.util.Set<String> sharedFilters) {
        shareGroups = sharedFilters == null ? null : java.util.Set.copyOf(sharedFilters);
        return this;
    }

    @Override
    public PublishBuilder recipients(java.util.Set<String> clientIds) {
        recipients = clientIds == null ? null : java.util.Set.copyOf(clientIds);
        return this;
    }

    @Override
    public PublishBuilder excludedRecipients(java.util.Set<String> clientIds) {
        excludedRecipients = clientIds == null || clientIds.isEmpty() ? null : java.util.Set.copyOf(clientIds);
        return this;
    }

    @Override
    public synchronized CompletionStage<PublishResult> publish() {
        if (published) {
            throw new IllegalStateException("this message was published already");
        }
        published = true;
        MessageProperties properties = MessageProperties.of(ForwardedProperties.of(Boolean.TRUE.equals(utf8),
                contentType, responseTopic, correlationData, userProperties).toMqttProperties(List.of()));
        long expiresAt = expirySeconds < 0 ? Long.MAX_VALUE : Message.expiryFromNow(expirySeconds);
        CompletableFuture<PublishResult> result = new CompletableFuture<>();
        // one loop per origin: a bundle's messages are routed in the order it published them
        EventLoop loop = engine.eventLoops().workerFor(origin);
        Engine.Steps steps = new Engine.Steps(intercept, storeRetained, route, shareGroups, recipients,
                excludedRecipients);
        try {
            loop.execute(() -> {
                Message m = new Message(topic, Unpooled.wrappedBuffer(payload), qos, retain, origin, properties,
                        expiresAt);
                // QoS 1/2: complete once every delivery was made (and the subscriptions holding acknowledgements
                // completed it), as a client's PUBACK waits
                Settlement settlement = qos > 0 ? new Settlement() : null;
                if (settlement != null) {
                    m.settleWith(settlement);
                }
                try {
                    int routed = engine.publish(m, null, loop, null, steps);
                    Result outcome = new Result(routed == Engine.DENIED, routed < 0 || routed == Engine.ACCEPTED
                            ? 0 : routed);
                    if (settlement == null) {
                        result.complete(outcome);
                    } else {
                        settlement.whenSettled(() -> result.complete(outcome));
                    }
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    m.release();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("the broker is not running", e));
        }
        return result;
    }

    private static final class Result implements PublishResult {
        private final boolean denied;
        private final int subscribers;

        Result(boolean denied, int subscribers) {
            this.denied = denied;
            this.subscribers = subscribers;
        }

        @Override
        public boolean denied() {
            return denied;
        }

        @Override
        public int subscribers() {
            return subscribers;
        }

        @Override
        public String toString() {
            return denied ? "denied" : "routed to " + subscribers;
        }
    }
}
