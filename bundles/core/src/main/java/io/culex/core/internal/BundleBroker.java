package io.culex.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

import io.culex.api.Broker;
import io.culex.api.BrokerStatistics;
import io.culex.api.ClientInfo;
import io.culex.api.ListenerInfo;
import io.culex.api.PublishBuilder;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.api.SubscriptionBuilder;
import io.culex.core.internal.messaging.InternalSubscriber;

/**
 * The {@link Broker} service as one bundle sees it: bundle-scoped, so each bundle that uses the service gets its
 * own instance, and when the bundle releases it (it stops, is updated or uninstalled) the internal subscriptions
 * it started are closed and the tasks it scheduled are cancelled: no message or tick reaches a stopped bundle.
 * Everything else goes to {@link BrokerComponent}.
 */
@Component(service = Broker.class, scope = ServiceScope.BUNDLE)
public final class BundleBroker implements Broker {

    private final BrokerComponent broker;
    private final Set<InternalSubscriber> subscriptions = ConcurrentHashMap.newKeySet();
    private final Set<ScheduledFuture<?>> scheduled = ConcurrentHashMap.newKeySet();

    @Activate
    public BundleBroker(@Reference BrokerComponent broker) {
        this.broker = broker;
    }

    @Deactivate
    void deactivate() {
        for (InternalSubscriber s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        for (ScheduledFuture<?> f : scheduled) {
            f.cancel(false);
        }
        scheduled.clear();
    }

    /** Keep a task's future to cancel it with the bundle; forget those that are over. */
    private ScheduledFuture<?> track(ScheduledFuture<?> future) {
        scheduled.removeIf(ScheduledFuture::isDone);
        scheduled.add(future);
        return future;
    }

    @Override
    public PublishBuilder newMessage(String topic) {
        return broker.newMessage(topic);
    }

    @Override
    public SubscriptionBuilder newSubscription(String filter) {
        return broker.newSubscription(filter, subscriber -> {
            subscriptions.add(subscriber);
            subscriber.onClose(() -> subscriptions.remove(subscriber));
        });
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        broker.publish(topic, payload, qos, retain);
    }

    @Override
    public java.util.concurrent.CompletionStage<java.util.Set<String>> importSessions(
            java.util.function.Consumer<io.culex.api.persistence.Restorer> records) {
        return broker.importSessions(records);
    }

    @Override
    public java.util.concurrent.CompletionStage<Boolean> releaseSession(String clientId) {
        return broker.releaseSession(clientId);
    }

    @Override
    public boolean disconnectClient(String clientId) {
        return broker.disconnectClient(clientId);
    }

    @Override
    public int disconnectClientsByUsername(String username) {
        return broker.disconnectClientsByUsername(username);
    }

    @Override
    public int kickClientsByUsername(String username, boolean publishWill) {
        return broker.kickClientsByUsername(username, publishWill);
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        return broker.client(clientId);
    }

    @Override
    public List<ClientInfo> clients() {
        return broker.clients();
    }

    @Override
    public Map<String, Integer> subscriptions(String clientId) {
        return broker.subscriptions(clientId);
    }

    @Override
    public java.util.concurrent.CompletionStage<List<SessionInfo>> sessions() {
        return broker.sessions();
    }

    @Override
    public List<RetainedMessage> retainedMessages(String filter, int limit) {
        return broker.retainedMessages(filter, limit);
    }

    @Override
    public List<ListenerInfo> listeners() {
        return broker.listeners();
    }

    @Override
    public BrokerStatistics statistics() {
        return broker.statistics();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return track(broker.schedule(task, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return track(broker.scheduleAtFixedRate(task, initialDelay, period, unit));
    }
}
