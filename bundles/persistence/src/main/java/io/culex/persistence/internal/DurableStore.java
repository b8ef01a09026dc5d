package io.culex.persistence.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;
import io.culex.api.persistence.Restorer;

/**
 * The {@link PersistenceListener} the broker talks to. On the broker's threads it only copies what it must (the
 * broker's buffers are valid during the call) and queues the event; the {@link StoreWriter} does the rest. The
 * writer starts once the broker has taken the restore, so that the state is not changed while it is read.
 */
final class DurableStore implements PersistenceListener {

    private final StoreState state;
    private final StoreWriter writer;
    /**
     * The message copied last on this thread: a message routed to many offline sessions of one event loop is
     * copied once, not once per session.
     */
    private final ThreadLocal<StoredMessage> lastCopy = new ThreadLocal<>();
    private boolean restored;

    DurableStore(StoreState state, StoreWriter writer) {
        this.state = state;
        this.writer = writer;
    }

    @Override
    public synchronized CompletionStage<Void> restore(Restorer restorer) {
        if (!restored) {
            restored = true;
            state.restoreInto(restorer);
            writer.start();
        }
        return CompletableFuture.completedFuture(null);
    }

    private StoredMessage copy(PersistedMessage m) {
        if (m == null) {
            return null;
        }
        StoredMessage last = lastCopy.get();
        if (last != null && last.id == m.id()) {
            return last;
        }
        StoredMessage copy = StoredMessage.copyOf(m);
        lastCopy.set(copy);
        return copy;
    }

    @Override
    public void sessionSaved(PersistedSession session) {
        StoredMessage will = session.will() == null ? null : StoredMessage.copyOf(session.will());
        writer.add(StoreEvent.sessionSaved(new PersistedSession(session.clientId(), session.username(),
                session.listener(), session.protocolVersion(), session.expirySeconds(), session.disconnectedAtMillis(),
                null, session.willDelaySeconds()), will));
    }

    @Override
    public void sessionRemoved(String clientId) {
        writer.add(StoreEvent.sessionRemoved(clientId));
    }

    @Override
    public void subscriptionAdded(String clientId, PersistedSubscription subscription) {
        writer.add(StoreEvent.subscriptionAdded(clientId, subscription));
    }

    @Override
    public void subscriptionRemoved(String clientId, String filter) {
        writer.add(StoreEvent.subscriptionRemoved(clientId, filter));
    }

    @Override
    public void outgoingAdded(String clientId, PersistedOutgoing entry, PersistedMessage message) {
        writer.add(StoreEvent.outgoingAdded(clientId, entry, copy(message)));
    }

    @Override
    public void outgoingUpdated(String clientId, PersistedOutgoing entry) {
        writer.add(StoreEvent.outgoingUpdated(clientId, entry));
    }

    @Override
    public void outgoingRemoved(String clientId, long entryId) {
        writer.add(StoreEvent.outgoingRemoved(clientId, entryId));
    }

    @Override
    public void incomingQos2Added(String clientId, int packetId) {
        writer.add(StoreEvent.incomingQos2(true, clientId, packetId));
    }

    @Override
    public void incomingQos2Removed(String clientId, int packetId) {
        writer.add(StoreEvent.incomingQos2(false, clientId, packetId));
    }

    @Override
    public void retainedSet(PersistedMessage message) {
        writer.add(StoreEvent.retainedSet(StoredMessage.copyOf(message)));
    }

    @Override
    public void retainedCleared(String topic) {
        writer.add(StoreEvent.retainedCleared(topic));
    }

    @Override
    public CompletionStage<Void> sync() {
        return writer.sync();
    }
}
