package io.culex.core.internal.extension;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientInfo;
import io.culex.api.InterceptedMessage;
import io.culex.api.MessageInterceptor;
import io.culex.api.MessageInterceptor.Verdict;
import io.culex.api.PublishProperties;
import io.culex.core.internal.routing.ForwardedProperties;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Runs the {@link MessageInterceptor} chain over one message. Costs nothing when no interceptor is registered; when
 * one changes the message, a new {@link Message} is built once, after the chain.
 */
public final class Interception {

    private static final Logger LOG = LoggerFactory.getLogger(Interception.class);

    private final ServiceChain<MessageInterceptor> interceptors;

    public Interception(Extensions extensions) {
        this.interceptors = extensions.interceptors;
    }

    /** The outcome: the verdict, and the message to route when it is CONTINUE. */
    public static final class Outcome {
        public final Verdict verdict;
        /** The message to route: the original (same reference) or a new one owned by the caller. */
        public final Message message;

        Outcome(Verdict verdict, Message message) {
            this.verdict = verdict;
            this.message = message;
        }

        /** @return the outcome of a message that goes on as it is, without asking any interceptor */
        public static Outcome unchanged(Message message) {
            return new Outcome(Verdict.CONTINUE, message);
        }
    }

    /**
     * @param publisher the publishing client, or {@code null} for the broker
     * @param message the message; the caller keeps its reference
     * @return the outcome; if {@code outcome.message != message} the caller owns (must release) the new message
     */
    public Outcome apply(ClientInfo publisher, Message message) {
        ServiceChain.Entry<MessageInterceptor>[] chain = interceptors.snapshot();
        if (chain.length == 0) {
            return new Outcome(Verdict.CONTINUE, message);
        }
        Mutable view = new Mutable(message);
        for (ServiceChain.Entry<MessageInterceptor> entry : chain) {
            if (!entry.enter()) {
                continue; // being unregistered: skipped as if already gone
            }
            Verdict verdict;
            try {
                verdict = entry.service().intercept(publisher, view);
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Message interceptor from {} failed on topic {}; denying the message: {}", entry.origin(),
                        message.topic(), e.toString(), e);
                verdict = Verdict.DENY;
            } finally {
                entry.exit();
            }
            if (verdict == null) {
                verdict = Verdict.DENY;
            }
            if (verdict != Verdict.CONTINUE) {
                return new Outcome(verdict, message);
            }
        }
        return new Outcome(Verdict.CONTINUE, view.changed ? view.build(message) : message);
    }

    private static final class Mutable implements InterceptedMessage {
        private final Message original;
        private String topic;
        private byte[] payload;
        private int qos;
        private boolean retain;
        private boolean changed;
        private ForwardedProperties properties;
        private java.util.List<java.util.Map.Entry<String, String>> addedUserProperties;

        Mutable(Message original) {
            this.original = original;
            this.topic = original.topic();
            this.qos = original.qos();
            this.retain = original.isRetain();
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public void setTopic(String newTopic) {
            if (newTopic == null || !Topics.isValidTopicName(newTopic)) {
                throw new IllegalArgumentException("not a valid topic name: " + newTopic);
            }
            changed |= !newTopic.equals(topic);
            topic = newTopic;
        }

        @Override
        public byte[] payload() {
            if (payload == null) {
                payload = ByteBufUtil.getBytes(original.payload());
            }
            return payload.clone();
        }

        @Override
        public void setPayload(byte[] newPayload) {
            payload = newPayload.clone();
            changed = true;
        }

        @Override
        public int qos() {
            return qos;
        }

        @Override
        public void setQos(int newQos) {
            if (newQos < 0 || newQos > 2) {
                throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + newQos);
            }
            changed |= newQos != qos;
            qos = newQos;
        }

        @Override
        public boolean retain() {
            return retain;
        }

        @Override
        public void setRetain(boolean newRetain) {
            changed |= newRetain != retain;
            retain = newRetain;
        }

        @Override
        public PublishProperties properties() {
            if (properties == null) {
                properties = ForwardedProperties.of(original.properties());
            }
            if (addedUserProperties == null) {
                return properties;
            }
            return ForwardedProperties.of(MessageProperties.of(properties.toMqttProperties(addedUserProperties)));
        }

        @Override
        public long messageExpiryInterval() {
            return original.hasExpiry() ? original.remainingExpirySeconds(System.nanoTime()) : -1;
        }

        @Override
        public void addUserProperty(String name, String value) {
            if (addedUserProperties == null) {
                addedUserProperties = new java.util.ArrayList<>();
            }
            addedUserProperties.add(new java.util.AbstractMap.SimpleImmutableEntry<>(
                    java.util.Objects.requireNonNull(name, "name"), java.util.Objects.requireNonNull(value, "value")));
            changed = true;
        }

        Message build(Message from) {
            MessageProperties forwarded = from.properties();
            if (addedUserProperties != null) {
                ForwardedProperties current = ForwardedProperties.of(forwarded);
                forwarded = MessageProperties.of(current.toMqttProperties(addedUserProperties));
            }
            return new Message(topic,
                    payload != null ? Unpooled.wrappedBuffer(payload) : from.payload().retainedDuplicate(),
                    qos, retain, from.publisherId(), forwarded, from.expiresAtNanos());
        }

        @Override
        public String toString() {
            return topic + " " + new String(payload(), StandardCharsets.UTF_8);
        }
    }
}
