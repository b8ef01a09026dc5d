package io.culex.core.internal.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientInfo;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;
import io.culex.core.internal.extension.ServiceChain;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.RetainedStore;
import io.culex.core.internal.routing.Subscription;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.session.SessionChanges;

/**
 * The broker's changes as {@link PersistenceListener} events, to every registered store (or to one, for the
 * snapshot a store gets when it is installed). Each call is guarded like every whiteboard call: a store being
 * unregistered is skipped, one that throws is logged and the others still hear of the change.
 */
final class StoreEvents implements SessionChanges, RetainedStore.Observer {

    private static final Logger LOG = LoggerFactory.getLogger(StoreEvents.class);

    private final Supplier<ServiceChain.Entry<PersistenceListener>[]> targets;

    StoreEvents(Supplier<ServiceChain.Entry<PersistenceListener>[]> targets) {
        this.targets = targets;
    }

    /** @return events to the one store, for its snapshot */
    @SuppressWarnings("unchecked")
    static StoreEvents to(ServiceChain.Entry<PersistenceListener> store) {
        ServiceChain.Entry<PersistenceListener>[] one = new ServiceChain.Entry[] {store};
        return new StoreEvents(() -> one);
    }

    @Override
    public boolean isActive() {
        return targets.get().length > 0;
    }

    @Override
    public void sessionSaved(String clientId, ClientInfo client, long expirySeconds, long disconnectedAtMillis,
                             Message will, long willDelaySeconds) {
        PersistedSession session = new PersistedSession(clientId, client == null ? null : client.username(),
                client == null ? null : client.listener(),
                client == null ? io.culex.api.ProtocolVersion.MQTT_5 : client.protocolVersion(),
                expirySeconds == Session.NEVER_EXPIRES ? PersistedSession.NEVER_EXPIRES : expirySeconds,
                disconnectedAtMillis, MessageView.of(will), will == null ? 0 : willDelaySeconds);
        each("sessionSaved", store -> store.sessionSaved(session));
    }

    @Override
    public void sessionRemoved(String clientId) {
        each("sessionRemoved", store -> store.sessionRemoved(clientId));
    }

    @Override
    public void subscriptionAdded(String clientId, Subscription s) {
        int[] ids = s.subscriptionIds();
        PersistedSubscription subscription = new PersistedSubscription(s.key(), s.qos(), s.noLocal(),
                s.retainAsPublished(), s.retainHandling(), ids.length == 0 ? 0 : ids[0]);
        each("subscriptionAdded", store -> store.subscriptionAdded(clientId, subscription));
    }

    @Override
    public void subscriptionRemoved(String clientId, String filter) {
        each("subscriptionRemoved", store -> store.subscriptionRemoved(clientId, filter));
    }

    @Override
    public void outgoingAdded(String clientId, PersistedOutgoing entry, Message message) {
        markStored(message);
        io.culex.api.persistence.PersistedMessage view = MessageView.of(message);
        each("outgoingAdded", store -> store.outgoingAdded(clientId, entry, view));
    }

    @Override
    public void outgoingUpdated(String clientId, PersistedOutgoing entry) {
        each("outgoingUpdated", store -> store.outgoingUpdated(clientId, entry));
    }

    @Override
    public void outgoingRemoved(String clientId, long entryId) {
        each("outgoingRemoved", store -> store.outgoingRemoved(clientId, entryId));
    }

    @Override
    public void incomingQos2Added(String clientId, int packetId) {
        each("incomingQos2Added", store -> store.incomingQos2Added(clientId, packetId));
    }

    @Override
    public void incomingQos2Removed(String clientId, int packetId) {
        each("incomingQos2Removed", store -> store.incomingQos2Removed(clientId, packetId));
    }

    @Override
    public void set(Message message) {
        if (!message.topic().startsWith(Topics.SYS_PREFIX)) {
            markStored(message);
            MessageView view = new MessageView(message);
            each("retainedSet", store -> store.retainedSet(view));
        }
    }

    @Override
    public void cleared(String topic) {
        if (!topic.startsWith(Topics.SYS_PREFIX)) {
            each("retainedCleared", store -> store.retainedCleared(topic));
        }
    }

    /** The publisher's acknowledgement of this message must wait for the stores. */
    private static void markStored(Message message) {
        if (message != null && message.settlement() != null) {
            message.settlement().markStored();
        }
    }

    /**
     * @return completes when every store has made durable what it heard before; at once when none listens
     */
    CompletionStage<Void> sync() {
        ServiceChain.Entry<PersistenceListener>[] stores = targets.get();
        if (stores.length == 0) {
            return CompletableFuture.completedFuture(null);
        }
        if (stores.length == 1) {
            return sync(stores[0]);
        }
        CompletableFuture<?>[] all = new CompletableFuture<?>[stores.length];
        for (int i = 0; i < stores.length; i++) {
            all[i] = sync(stores[i]).toCompletableFuture();
        }
        return CompletableFuture.allOf(all);
    }

    private static CompletionStage<Void> sync(ServiceChain.Entry<PersistenceListener> entry) {
        if (!entry.enter()) {
            return CompletableFuture.completedFuture(null); // being removed: the broker goes on without it
        }
        try {
            CompletionStage<Void> stage = entry.service().sync();
            if (stage == null) {
                throw new IllegalStateException("sync() returned null");
            }
            return stage;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Persistence store from {} failed to sync: {}", entry.origin(), e.toString(), e);
            return CompletableFuture.failedFuture(e);
        } finally {
            entry.exit();
        }
    }

    private void each(String event, Consumer<PersistenceListener> call) {
        for (ServiceChain.Entry<PersistenceListener> entry : targets.get()) {
            if (!entry.enter()) {
                continue;
            }
            try {
                call.accept(entry.service());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Persistence store from {} failed on {}: {}", entry.origin(), event, e.toString(), e);
            } finally {
                entry.exit();
            }
        }
    }
}
