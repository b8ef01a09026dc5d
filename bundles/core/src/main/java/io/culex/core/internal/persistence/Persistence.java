package io.culex.core.internal.persistence;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.persistence.PersistenceListener;
import io.culex.core.internal.extension.ServiceChain;
import io.culex.core.internal.routing.RetainedStore;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.session.SessionChanges;
import io.culex.core.internal.session.SessionRegistry;
import io.culex.core.internal.transport.EventLoops;

/**
 * The persistence whiteboard of one running broker: every registered {@link PersistenceListener} hears of the
 * changes ({@link #changes()}), is asked to restore when it comes, and gets a snapshot of what the broker held
 * before it; {@link #sync()} is what acknowledgements wait for. {@link #restored()} completes once a first store has
 * restored, which is what listeners wait for when the configuration requires persistence.
 */
public final class Persistence {

    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);

    private final ServiceChain<PersistenceListener> stores;
    private final StoreEvents events;
    private final SessionRegistry sessions;
    private final RetainedStore retained;
    private final EventLoops loops;
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private final Set<ServiceReference<?>> attached = new HashSet<>();

    public Persistence(ServiceChain<PersistenceListener> stores, SessionRegistry sessions, RetainedStore retained,
                       EventLoops loops) {
        this.stores = stores;
        this.events = new StoreEvents(stores::snapshot);
        this.sessions = sessions;
        this.retained = retained;
        this.loops = loops;
        retained.observe(events);
    }

    /** @return what sessions tell the stores */
    public SessionChanges changes() {
        return events;
    }

    /** @return whether a store listens: acknowledgements then wait for {@link #sync()} */
    public boolean isActive() {
        return !stores.isEmpty();
    }

    /** @return completes when every store made durable what it heard so far */
    public CompletionStage<Void> sync() {
        return events.sync();
    }

    /** @return completes once a first store has restored (and never fails) */
    public CompletionStage<Void> restored() {
        return restored;
    }

    /**
     * Start using the stores in the chain that are not in use yet (a store registered, or the broker started with
     * stores registered): restore from each, then hand it the state it did not restore. Any thread.
     */
    public void attachNew() {
        for (ServiceChain.Entry<PersistenceListener> entry : stores.snapshot()) {
            synchronized (attached) {
                if (!attached.add(entry.reference())) {
                    continue;
                }
            }
            attach(entry);
        }
    }

    /**
     * Sessions from elsewhere (a cluster node released them): applied as a restore is, then written to every store
     * as their state (API 1.7's {@code Broker.importSessions}).
     *
     * @return completes with the client ids of the sessions imported
     */
    public CompletionStage<Set<String>> importSessions(java.util.function.Consumer<io.culex.api.persistence.Restorer> records) {
        Restoration restoration = new Restoration(false);
        records.accept(restoration);
        return restoration.apply(sessions, retained, loops).thenCompose(result -> {
            java.util.List<Session> imported = restoration.restoredSessions();
            java.util.List<CompletableFuture<Void>> written = new java.util.ArrayList<>();
            Set<String> ids = new java.util.LinkedHashSet<>();
            for (Session session : imported) {
                ids.add(session.clientId());
                CompletableFuture<Void> done = new CompletableFuture<>();
                written.add(done);
                session.loop().execute(() -> {
                    try {
                        if (!session.isDestroyed() && events.isActive()) {
                            events.sessionRemoved(session.clientId()); // whatever a store had is replaced
                            session.snapshotTo(events);
                        }
                    } finally {
                        done.complete(null);
                    }
                });
            }
            LOG.info("Imported {} session(s) with {} queued message(s); {} dropped (a session here kept its state).",
                    result.kept(), result.messages(), result.dropped());
            return CompletableFuture.allOf(written.toArray(new CompletableFuture[0])).thenApply(v -> ids);
        });
    }

    /** A store was unregistered: the broker goes on in memory. */
    public void detached(ServiceReference<?> reference) {
        boolean was;
        synchronized (attached) {
            was = attached.remove(reference);
        }
        if (was) {
            LOG.warn("The persistence store is gone: changes are kept in memory only until a store is back.");
        }
    }

    private void attach(ServiceChain.Entry<PersistenceListener> entry) {
        long start = System.nanoTime();
        Restoration restoration = new Restoration();
        CompletionStage<Void> handedOver;
        if (!entry.enter()) {
            return;
        }
        try {
            handedOver = entry.service().restore(restoration);
            if (handedOver == null) {
                throw new IllegalStateException("restore() returned null");
            }
        } catch (RuntimeException | LinkageError e) {
            handedOver = CompletableFuture.failedFuture(e);
        } finally {
            entry.exit();
        }
        handedOver.handle((v, failure) -> {
            if (failure != null) {
                LOG.error("Persistence store from {} failed to restore: {}; starting with what it handed over.",
                        entry.origin(), failure.toString(), failure);
            }
            return null;
        }).thenCompose(v -> restoration.apply(sessions, retained, loops)).thenCompose(result -> {
            long millis = (System.nanoTime() - start) / 1_000_000L;
            LOG.info("Restored {} session(s) ({} kept), {} queued message(s) and {} retained message(s) from {} "
                    + "in {} ms.", result.sessions(), result.kept(), result.messages(), result.retained(),
                    entry.origin(), millis);
            return snapshot(entry, restoration);
        }).whenComplete((v, failure) -> {
            if (failure != null) {
                LOG.error("Restoring from {} failed: {}", entry.origin(), failure.toString(), failure);
            }
            restored.complete(null);
        });
    }

    /**
     * The state the store did not restore (what the broker held before it came) as events to it alone: for each
     * live session its record is replaced (removed, then written whole), and every retained message is set.
     */
    private CompletionStage<Void> snapshot(ServiceChain.Entry<PersistenceListener> entry, Restoration restoration) {
        StoreEvents target = StoreEvents.to(entry);
        java.util.List<CompletableFuture<Void>> parts = new java.util.ArrayList<>();
        for (Session session : sessions.all()) {
            if (restoration.restored(session)) {
                continue;
            }
            CompletableFuture<Void> part = new CompletableFuture<>();
            parts.add(part);
            try {
                session.loop().execute(() -> {
                    try {
                        if (!session.isDestroyed()) {
                            target.sessionRemoved(session.clientId());
                            session.snapshotTo(target);
                        }
                    } finally {
                        part.complete(null);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                part.complete(null); // stopping
            }
        }
        retained.forEach(target::set);
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]));
    }
}
