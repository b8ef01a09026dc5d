package io.culex.persistence.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.Restorer;

/**
 * What the store holds, in memory: the result of applying every event in order. Events are upserts and removals
 * as the SPI defines them (a removal of something unknown, or a record for a session the store does not have, is
 * ignored). Messages are kept once per id with a reference count. Owned by one thread at a time (loading, then the
 * writer).
 */
final class StoreState {

    /** One stored session. */
    static final class SessionRecord {
        PersistedSession session;
        StoredMessage will;
        final Map<String, PersistedSubscription> subscriptions = new LinkedHashMap<>();
        final TreeMap<Long, PersistedOutgoing> outgoing = new TreeMap<>();
        final TreeSet<Integer> incomingQos2 = new TreeSet<>();
    }

    private final Map<String, SessionRecord> sessions = new HashMap<>();
    private final Map<Long, StoredMessage> messages = new HashMap<>();
    private final Map<String, Long> retained = new HashMap<>();

    boolean hasMessage(long id) {
        return messages.containsKey(id);
    }

    int sessions() {
        return sessions.size();
    }

    int messages() {
        return messages.size();
    }

    int retained() {
        return retained.size();
    }

    SessionRecord session(String clientId) {
        return sessions.get(clientId);
    }

    StoredMessage message(long id) {
        return messages.get(id);
    }

    /** @return the retained message of a topic, or {@code null} */
    StoredMessage retained(String topic) {
        Long id = retained.get(topic);
        return id == null ? null : messages.get(id);
    }

    void apply(StoreEvent e) {
        switch (e.type()) {
            case SESSION_SAVED: {
                SessionRecord record = sessions.computeIfAbsent(e.key(), k -> new SessionRecord());
                record.session = e.session();
                record.will = e.will();
                break;
            }
            case SESSION_REMOVED: {
                SessionRecord record = sessions.remove(e.key());
                if (record != null) {
                    record.outgoing.values().forEach(this::release);
                }
                break;
            }
            case SUBSCRIPTION_ADDED: {
                SessionRecord record = sessions.get(e.key());
                if (record != null) {
                    record.subscriptions.put(e.subscription().filter(), e.subscription());
                }
                break;
            }
            case SUBSCRIPTION_REMOVED: {
                SessionRecord record = sessions.get(e.key());
                if (record != null) {
                    record.subscriptions.remove(e.subscription().filter());
                }
                break;
            }
            case OUTGOING_ADDED:
                addOutgoing(e);
                break;
            case OUTGOING_UPDATED: {
                SessionRecord record = sessions.get(e.key());
                PersistedOutgoing before = record == null ? null : record.outgoing.get(e.entry().entryId());
                if (before != null) {
                    record.outgoing.put(e.entry().entryId(), e.entry());
                    if (holdsMessage(before) && !holdsMessage(e.entry())) {
                        release(before);
                    }
                }
                break;
            }
            case OUTGOING_REMOVED: {
                SessionRecord record = sessions.get(e.key());
                PersistedOutgoing removed = record == null ? null : record.outgoing.remove(e.number());
                if (removed != null) {
                    release(removed);
                }
                break;
            }
            case INCOMING_QOS2_ADDED:
            case INCOMING_QOS2_REMOVED: {
                SessionRecord record = sessions.get(e.key());
                if (record != null) {
                    if (e.type() == StoreEvent.Type.INCOMING_QOS2_ADDED) {
                        record.incomingQos2.add((int) e.number());
                    } else {
                        record.incomingQos2.remove((int) e.number());
                    }
                }
                break;
            }
            case RETAINED_SET: {
                StoredMessage m = keep(e.message());
                m.references++;
                Long before = retained.put(e.key(), m.id);
                if (before != null) {
                    release(before);
                }
                break;
            }
            case RETAINED_CLEARED: {
                Long before = retained.remove(e.key());
                if (before != null) {
                    release(before);
                }
                break;
            }
            default:
                throw new IllegalStateException("unhandled " + e.type());
        }
    }

    private void addOutgoing(StoreEvent e) {
        SessionRecord record = sessions.get(e.key());
        if (record == null) {
            return;
        }
        PersistedOutgoing entry = e.entry();
        if (holdsMessage(entry)) {
            if (e.message() != null) {
                keep(e.message());
            }
            StoredMessage m = messages.get(entry.messageId());
            if (m == null) {
                return; // the broker always sends a message the store does not have; a damaged log may not
            }
            m.references++;
        }
        PersistedOutgoing before = record.outgoing.put(entry.entryId(), entry);
        if (before != null) {
            release(before);
        }
    }

    private StoredMessage keep(StoredMessage m) {
        StoredMessage known = messages.putIfAbsent(m.id, m);
        return known == null ? m : known;
    }

    private static boolean holdsMessage(PersistedOutgoing entry) {
        return entry.state() != PersistedOutgoing.State.RELEASED;
    }

    private void release(PersistedOutgoing entry) {
        if (holdsMessage(entry)) {
            release(entry.messageId());
        }
    }

    private void release(long messageId) {
        StoredMessage m = messages.get(messageId);
        if (m != null && --m.references <= 0) {
            messages.remove(messageId);
        }
    }

    /** Everything held, as the events that rebuild it: what a snapshot file contains. */
    void forEachEvent(Consumer<StoreEvent> out) {
        java.util.Set<Long> written = new java.util.HashSet<>();
        for (Map.Entry<String, SessionRecord> s : sessions.entrySet()) {
            SessionRecord record = s.getValue();
            if (record.session == null) {
                continue;
            }
            out.accept(StoreEvent.sessionSaved(record.session, record.will));
            record.subscriptions.values().forEach(sub -> out.accept(StoreEvent.subscriptionAdded(s.getKey(), sub)));
            for (PersistedOutgoing entry : record.outgoing.values()) {
                StoredMessage m = holdsMessage(entry) && written.add(entry.messageId())
                        ? messages.get(entry.messageId()) : null;
                out.accept(StoreEvent.outgoingAdded(s.getKey(), entry, m));
            }
            record.incomingQos2.forEach(id -> out.accept(StoreEvent.incomingQos2(true, s.getKey(), id)));
        }
        for (Long id : retained.values()) {
            StoredMessage m = messages.get(id);
            if (m != null) {
                out.accept(StoreEvent.retainedSet(m));
            }
        }
    }

    /** Hand everything to the broker's restorer. */
    void restoreInto(Restorer restorer) {
        for (Map.Entry<String, SessionRecord> s : sessions.entrySet()) {
            SessionRecord record = s.getValue();
            if (record.session == null) {
                continue;
            }
            PersistedSession session = record.session;
            if (record.will != null) {
                session = new PersistedSession(session.clientId(), session.username(), session.listener(),
                        session.protocolVersion(), session.expirySeconds(), session.disconnectedAtMillis(),
                        record.will.toPersisted(), session.willDelaySeconds());
            }
            restorer.session(session);
            record.subscriptions.values().forEach(sub -> restorer.subscription(s.getKey(), sub));
            for (PersistedOutgoing entry : record.outgoing.values()) {
                StoredMessage m = holdsMessage(entry) ? messages.get(entry.messageId()) : null;
                if (holdsMessage(entry) && m == null) {
                    continue; // cannot happen by the reference counts; a damaged file is not followed blindly
                }
                restorer.outgoing(s.getKey(), entry, m == null ? null : m.toPersisted());
            }
            record.incomingQos2.forEach(id -> restorer.incomingQos2(s.getKey(), id));
        }
        for (Long id : retained.values()) {
            StoredMessage m = messages.get(id);
            if (m != null) {
                restorer.retained(m.toPersisted());
            }
        }
    }
}
