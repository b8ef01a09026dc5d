package io.culex.core.internal.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;
import io.culex.api.persistence.Restorer;

/**
 * A store in memory that applies the events as the SPI defines them (upserts and removals, messages shared by id)
 * and restores what it holds: for testing the seam without disk. {@link #syncWith} lets a test hold durability
 * back. Every method is synchronized: events come from several event loops.
 */
public final class InMemoryStore implements PersistenceListener {

    /** One stored session. */
    public static final class StoredSession {
        public PersistedSession record;
        public final Map<String, PersistedSubscription> subscriptions = new LinkedHashMap<>();
        public final TreeMap<Long, PersistedOutgoing> outgoing = new TreeMap<>();
        public final TreeSet<Integer> incomingQos2 = new TreeSet<>();
    }

    private final Map<String, StoredSession> sessions = new HashMap<>();
    private final Map<Long, PersistedMessage> messages = new HashMap<>();
    private final Map<String, Long> retained = new HashMap<>();
    private final List<String> events = new ArrayList<>();
    private Supplier<CompletionStage<Void>> sync = () -> CompletableFuture.completedFuture(null);

    /** @param nextSync what each sync() answers from now on */
    public synchronized void syncWith(Supplier<CompletionStage<Void>> nextSync) {
        sync = nextSync;
    }

    public synchronized StoredSession session(String clientId) {
        return sessions.get(clientId);
    }

    public synchronized PersistedMessage message(long id) {
        return messages.get(id);
    }

    /** @return the stored retained message's payload as text, or {@code null} */
    public synchronized String retainedText(String topic) {
        Long id = retained.get(topic);
        return id == null ? null : text(messages.get(id).payload());
    }

    /** @return the event names in arrival order, with their client id or topic */
    public synchronized List<String> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    public static String text(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static PersistedMessage copy(PersistedMessage m) {
        ByteBuffer payload = m.payload().duplicate();
        byte[] p = new byte[payload.remaining()];
        payload.get(p);
        ByteBuffer properties = m.properties().duplicate();
        byte[] props = new byte[properties.remaining()];
        properties.get(props);
        return PersistedMessage.of(m.id(), m.topic(), p, m.qos(), m.retain(), m.publisherId(), props,
                m.expiresAtMillis());
    }

    @Override
    public synchronized CompletionStage<Void> restore(Restorer restorer) {
        sessions.forEach((id, s) -> {
            restorer.session(s.record);
            s.subscriptions.values().forEach(sub -> restorer.subscription(id, sub));
            s.outgoing.values().forEach(e -> restorer.outgoing(id, e, messages.get(e.messageId())));
            s.incomingQos2.forEach(p -> restorer.incomingQos2(id, p));
        });
        retained.values().forEach(m -> restorer.retained(messages.get(m)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void sessionSaved(PersistedSession session) {
        events.add("sessionSaved " + session.clientId());
        PersistedSession s = session;
        if (s.will() != null) {
            s = new PersistedSession(s.clientId(), s.username(), s.listener(), s.protocolVersion(), s.expirySeconds(),
                    s.disconnectedAtMillis(), copy(s.will()), s.willDelaySeconds());
        }
        sessions.computeIfAbsent(session.clientId(), id -> new StoredSession()).record = s;
    }

    @Override
    public synchronized void sessionRemoved(String clientId) {
        events.add("sessionRemoved " + clientId);
        sessions.remove(clientId);
    }

    @Override
    public synchronized void subscriptionAdded(String clientId, PersistedSubscription subscription) {
        events.add("subscriptionAdded " + clientId + " " + subscription.filter());
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.subscriptions.put(subscription.filter(), subscription);
        }
    }

    @Override
    public synchronized void subscriptionRemoved(String clientId, String filter) {
        events.add("subscriptionRemoved " + clientId + " " + filter);
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.subscriptions.remove(filter);
        }
    }

    @Override
    public synchronized void outgoingAdded(String clientId, PersistedOutgoing entry, PersistedMessage message) {
        events.add("outgoingAdded " + clientId + " " + entry.state());
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            if (message != null) {
                messages.putIfAbsent(message.id(), copy(message));
            }
            s.outgoing.put(entry.entryId(), entry);
        }
    }

    @Override
    public synchronized void outgoingUpdated(String clientId, PersistedOutgoing entry) {
        events.add("outgoingUpdated " + clientId + " " + entry.state());
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.outgoing.put(entry.entryId(), entry);
        }
    }

    @Override
    public synchronized void outgoingRemoved(String clientId, long entryId) {
        events.add("outgoingRemoved " + clientId);
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.outgoing.remove(entryId);
        }
    }

    @Override
    public synchronized void incomingQos2Added(String clientId, int packetId) {
        events.add("incomingQos2Added " + clientId + " " + packetId);
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.incomingQos2.add(packetId);
        }
    }

    @Override
    public synchronized void incomingQos2Removed(String clientId, int packetId) {
        events.add("incomingQos2Removed " + clientId + " " + packetId);
        StoredSession s = sessions.get(clientId);
        if (s != null) {
            s.incomingQos2.remove(packetId);
        }
    }

    @Override
    public synchronized void retainedSet(PersistedMessage message) {
        events.add("retainedSet " + message.topic());
        messages.putIfAbsent(message.id(), copy(message));
        retained.put(message.topic(), message.id());
    }

    @Override
    public synchronized void retainedCleared(String topic) {
        events.add("retainedCleared " + topic);
        retained.remove(topic);
    }

    @Override
    public synchronized CompletionStage<Void> sync() {
        return sync.get();
    }
}
