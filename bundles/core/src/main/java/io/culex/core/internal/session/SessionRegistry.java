package io.culex.core.internal.session;

import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoop;

/**
 * All sessions by client id, and the hand-over of a session to a new connection (takeover, resumption).
 *
 * <p>The protocol: a connection that passed authentication <em>claims</em> the session (a volatile write; the
 * newest claim wins). The hand-over then runs on the session's loop: it closes the old connection (which publishes
 * its will), destroys the session if either side asked for a clean one, or moves the session to the claimant's
 * loop, and finally tells the claimant on its own loop. Each step re-checks that its claimant is still the newest,
 * so two connections racing for one client id end with exactly one attached.
 */
public final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    /** A connection that wants a session. Its methods are called on its own loop. */
    public interface Claimant {
        EventLoop loop();

        /** The session is ready to be attached. Must check {@link Session#isClaimedBy} before attaching. */
        void sessionReady(Session session, boolean sessionPresent);

        /** A newer connection claimed the same client id before this one got the session. */
        void sessionSuperseded();
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final SessionContext engine;

    public SessionRegistry(SessionContext engine) {
        this.engine = engine;
    }

    /**
     * Find or create the session for a client id and hand it to the claimant. Called on the claimant's loop.
     *
     * @param clientId the client id
     * @param cleanSession whether the client asked for a clean session (MQTT 5: clean start)
     * @param expirySeconds the session expiry interval of a new session ({@link Session#NEVER_EXPIRES}: never)
     * @param claimant the connection
     */
    public void open(String clientId, boolean cleanSession, long expirySeconds, Claimant claimant) {
        while (true) {
            Session existing = sessions.get(clientId);
            if (existing == null) {
                Session fresh = new Session(clientId, expirySeconds, engine, this, claimant.loop());
                fresh.claimant = claimant;
                if (sessions.putIfAbsent(clientId, fresh) == null) {
                    claimant.sessionReady(fresh, false);
                    return;
                }
                continue;
            }
            existing.claimant = claimant;
            existing.loop().execute(() -> handOver(existing, clientId, cleanSession, expirySeconds, claimant));
            return;
        }
    }

    private void handOver(Session session, String clientId, boolean cleanSession, long expirySeconds,
                          Claimant claimant) {
        EventLoop owner = session.loop();
        if (!owner.inEventLoop()) {
            // it moved meanwhile
            owner.execute(() -> handOver(session, clientId, cleanSession, expirySeconds, claimant));
            return;
        }
        if (session.claimant != claimant) {
            claimant.loop().execute(claimant::sessionSuperseded);
            return;
        }
        if (session.isDestroyed()) {
            claimant.loop().execute(() -> open(clientId, cleanSession, expirySeconds, claimant));
            return;
        }
        SessionConnection old = session.connection();
        if (old != null) {
            LOG.info("Client {} already connected, closing old connection.", clientId);
            session.release(old);
            old.takenOver();
        }
        if (cleanSession || !session.isPersistent()) {
            // a new connection came for the client id before its will delay passed: no will [MQTT-3.1.3-9]
            session.discardPendingWill();
            session.destroy();
            claimant.loop().execute(() -> open(clientId, cleanSession, expirySeconds, claimant));
            return;
        }
        session.setExpirySeconds(expirySeconds);
        session.moveTo(claimant.loop());
        claimant.loop().execute(() -> claimant.sessionReady(session, true));
    }

    /**
     * Create an offline session from a store, unless the client id has one (the running state wins).
     *
     * @return the new session, to be filled on its loop, or {@code null}
     */
    public Session restore(String clientId, long expirySeconds, EventLoop loop) {
        Session fresh = new Session(clientId, expirySeconds, engine, this, loop);
        return sessions.putIfAbsent(clientId, fresh) == null ? fresh : null;
    }

    /**
     * Let a session go because another broker took it over (API 1.7's {@code Broker.releaseSession}): its
     * connection is closed as in a takeover, the pending will discarded (the client did connect again, elsewhere),
     * and the session destroyed. Any thread.
     *
     * @return completes with whether there was a session
     */
    public java.util.concurrent.CompletionStage<Boolean> release(String clientId) {
        java.util.concurrent.CompletableFuture<Boolean> done = new java.util.concurrent.CompletableFuture<>();
        Session session = sessions.get(clientId);
        if (session == null) {
            done.complete(false);
        } else {
            session.loop().execute(() -> release(session, done));
        }
        return done;
    }

    private void release(Session session, java.util.concurrent.CompletableFuture<Boolean> done) {
        EventLoop owner = session.loop();
        if (!owner.inEventLoop()) {
            owner.execute(() -> release(session, done)); // it moved meanwhile
            return;
        }
        if (session.isDestroyed()) {
            done.complete(false);
            return;
        }
        SessionConnection old = session.connection();
        if (old != null) {
            LOG.info("Client {} connected to another node, closing its connection here.", session.clientId());
            session.release(old);
            old.takenOver();
        }
        session.discardPendingWill();
        session.destroy();
        done.complete(true);
    }

    /** Called by a session that destroyed itself. */
    void removed(Session session) {
        sessions.remove(session.clientId(), session);
    }

    /** @return the session of a client id, connected or not, or {@code null} */
    public Session get(String clientId) {
        return sessions.get(clientId);
    }

    /** @return the number of sessions */
    public int size() {
        return sessions.size();
    }

    public Iterable<Session> all() {
        return sessions.values();
    }
}
