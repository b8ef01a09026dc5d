package io.culex.bridge.internal.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.culex.api.Broker;
import io.culex.api.BrokerStatistics;
import io.culex.api.ClientInfo;
import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;
import io.culex.api.ListenerInfo;
import io.culex.api.MessageConsumer;
import io.culex.api.PublishBuilder;
import io.culex.api.PublishProperties;
import io.culex.api.PublishResult;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.api.SubscriptionBuilder;
import io.culex.api.Topics;

/**
 * The local side of a bridge in unit tests: the part of the {@link Broker} service a bridge uses (internal
 * subscriptions with origin and no local, bundle messages), routing synchronously on the publishing thread. What a
 * bridge does not use throws. The real broker is exercised by the black-box tests in itest/.
 */
public final class InMemoryBroker implements Broker {

    /** A message the bridge published locally. */
    public record Published(String topic, String payload, int qos, boolean retain, String origin) {
    }

    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    public final BlockingQueue<Published> published = new LinkedBlockingQueue<>();
    /** deliveries to subscriptions that were not completed yet */
    public final AtomicInteger pending = new AtomicInteger();

    /** Publishes a message as a local client would, with this origin (its client id). */
    public void publishAsClient(String clientId, String topic, String payload, int qos, boolean retain) {
        route(new Published(topic, payload, qos, retain, clientId));
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    private void route(Published message) {
        for (Subscription subscription : subscriptions) {
            if (Topics.matches(subscription.filter, message.topic())
                    && !(subscription.noLocal && message.origin() != null
                    && message.origin().equals(subscription.origin))) {
                pending.incrementAndGet();
                subscription.consumer.onMessage(new Delivery(message, Math.min(message.qos(), subscription.qos),
                        subscription.retainAsPublished && message.retain()));
            }
        }
    }

    private final class Delivery implements DeliveredMessage {
        private final Published message;
        private final int qos;
        private final boolean retain;
        private final AtomicBoolean completed = new AtomicBoolean();

        Delivery(Published message, int qos, boolean retain) {
            this.message = message;
            this.qos = qos;
            this.retain = retain;
        }

        @Override public String topic() { return message.topic(); }
        @Override public byte[] payload() { return message.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8); }
        @Override public int qos() { return qos; }
        @Override public boolean retain() { return retain; }
        @Override public long messageExpiryInterval() { return -1; }
        @Override public String origin() { return message.origin(); }

        @Override
        public PublishProperties properties() {
            return new PublishProperties() {
                @Override public boolean payloadFormatUtf8() { return false; }
                @Override public String contentType() { return null; }
                @Override public String responseTopic() { return null; }
                @Override public byte[] correlationData() { return null; }
                @Override public List<Map.Entry<String, String>> userProperties() { return List.of(); }
            };
        }

        @Override
        public void complete() {
            if (completed.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
        }
    }

    private final class Subscription implements SubscriptionBuilder, InternalSubscription {
        private final String filter;
        private int qos = 2;
        private String origin;
        private boolean noLocal;
        private boolean retainAsPublished;
        private MessageConsumer consumer;

        Subscription(String filter) {
            this.filter = filter;
        }

        @Override public SubscriptionBuilder qos(int value) { qos = value; return this; }
        @Override public SubscriptionBuilder origin(String value) { origin = value; return this; }
        @Override public SubscriptionBuilder noLocal(boolean value) { noLocal = value; return this; }
        @Override public SubscriptionBuilder retainAsPublished(boolean value) { retainAsPublished = value; return this; }
        @Override public SubscriptionBuilder sendRetained(boolean value) { return this; }
        @Override public SubscriptionBuilder listed(boolean value) { return this; }
        @Override public SubscriptionBuilder holdAcknowledgement(boolean value) { return this; }
        @Override public SubscriptionBuilder selector(io.culex.api.MessageSelector value) { return this; }

        @Override
        public InternalSubscription subscribe(MessageConsumer messageConsumer) {
            consumer = messageConsumer;
            subscriptions.add(this);
            return this;
        }

        @Override public String filter() { return filter; }
        @Override public int pending() { return pending.get(); }
        @Override public long dropped() { return 0; }
        @Override public void close() { subscriptions.remove(this); }
    }

    private final class Message implements PublishBuilder {
        private final String topic;
        private byte[] payload = new byte[0];
        private int qos;
        private boolean retain;
        private String origin;

        Message(String topic) {
            this.topic = topic;
        }

        @Override public PublishBuilder payload(byte[] value) { payload = value.clone(); return this; }
        @Override public PublishBuilder qos(int value) { qos = value; return this; }
        @Override public PublishBuilder retain(boolean value) { retain = value; return this; }
        @Override public PublishBuilder messageExpiryInterval(long seconds) { return this; }
        @Override public PublishBuilder payloadFormatUtf8(boolean utf8) { return this; }
        @Override public PublishBuilder contentType(String contentType) { return this; }
        @Override public PublishBuilder responseTopic(String responseTopic) { return this; }
        @Override public PublishBuilder correlationData(byte[] data) { return this; }
        @Override public PublishBuilder userProperty(String name, String value) { return this; }
        @Override public PublishBuilder origin(String value) { origin = value; return this; }
        @Override public PublishBuilder intercept(boolean value) { return this; }
        @Override public PublishBuilder storeRetained(boolean value) { return this; }
        @Override public PublishBuilder route(boolean value) { return this; }
        @Override public PublishBuilder shareGroups(java.util.Set<String> value) { return this; }
        @Override public PublishBuilder recipients(java.util.Set<String> value) { return this; }
        @Override public PublishBuilder excludedRecipients(java.util.Set<String> value) { return this; }

        @Override
        public CompletionStage<PublishResult> publish() {
            Published message = new Published(topic, new String(payload, java.nio.charset.StandardCharsets.UTF_8),
                    qos, retain, origin);
            InMemoryBroker.this.route(message);
            published.add(message);
            return CompletableFuture.completedFuture(new PublishResult() {
                @Override public boolean denied() { return false; }
                @Override public int subscribers() { return 0; }
            });
        }
    }

    @Override public PublishBuilder newMessage(String topic) { return new Message(topic); }
    @Override public SubscriptionBuilder newSubscription(String filter) { return new Subscription(filter); }

    @Override public void publish(String topic, byte[] payload, int qos, boolean retain) { throw unused(); }
    @Override public boolean disconnectClient(String clientId) { throw unused(); }
    @Override public java.util.concurrent.CompletionStage<java.util.Set<String>> importSessions(
            java.util.function.Consumer<io.culex.api.persistence.Restorer> records) { throw unused(); }
    @Override public java.util.concurrent.CompletionStage<Boolean> releaseSession(String clientId) {
        throw unused(); }
    @Override public int disconnectClientsByUsername(String username) { throw unused(); }
    @Override public int kickClientsByUsername(String username, boolean publishWill) { throw unused(); }
    @Override public Optional<ClientInfo> client(String clientId) { throw unused(); }
    @Override public List<ClientInfo> clients() { throw unused(); }
    @Override public Map<String, Integer> subscriptions(String clientId) { throw unused(); }
    @Override public CompletionStage<List<SessionInfo>> sessions() { throw unused(); }
    @Override public List<RetainedMessage> retainedMessages(String filter, int limit) { throw unused(); }
    @Override public List<ListenerInfo> listeners() { throw unused(); }
    @Override public BrokerStatistics statistics() { throw unused(); }
    @Override public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) { throw unused(); }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        throw unused();
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not used by bridges");
    }
}
