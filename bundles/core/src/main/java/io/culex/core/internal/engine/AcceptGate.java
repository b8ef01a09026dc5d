package io.culex.core.internal.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds accepting back until every configured listener is bound, as Mosquitto does (it opens all its sockets before
 * its main loop runs). Listeners are separate components that start one after the other, and a TLS or WebSocket
 * listener takes longer to start than a plain one; without the gate a client started at the first open port could
 * find the next one still closed. A listener binds with accepting off and hands the gate the action that turns it
 * on; the gate runs all of them once the last configured listener has bound or failed.
 *
 * <p>The configured listeners are named by their keys ({@code culex.listener_keys} in the broker configuration,
 * written by the config bundle). Without that list (plain Config Admin, tests) a listener accepts as soon as it is
 * bound. The gate opens once and stays open: a listener added or rebound later accepts at once. A listener that
 * never reports (its configuration is refused before it binds) cannot hold the others for longer than
 * {@link #MAX_WAIT_SECONDS} after the first bind.
 */
public final class AcceptGate {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);
    /** The longest the bound listeners wait for the rest. */
    static final long MAX_WAIT_SECONDS = 10;

    private final ScheduledExecutorService timer;
    private final Set<String> awaited = new LinkedHashSet<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean open;
    private boolean timerStarted;

    /**
     * @param configuredKeys the keys of every configured listener; empty when unknown, which opens the gate
     * @param timer runs the timeout
     */
    public AcceptGate(Collection<String> configuredKeys, ScheduledExecutorService timer) {
        this.timer = timer;
        awaited.addAll(configuredKeys);
        open = awaited.isEmpty();
    }

    /**
     * A listener is bound (not accepting yet).
     *
     * @param key its key, or {@code null} when it has none (it is then not one the gate waits for)
     * @param startAccepting turns accepting on; run now if the gate is open, else when it opens
     */
    public void bound(String key, Runnable startAccepting) {
        List<Runnable> toRun;
        synchronized (this) {
            if (open) {
                toRun = List.of(startAccepting);
            } else {
                held.add(startAccepting);
                toRun = reported(key);
                startTimer();
            }
        }
        toRun.forEach(Runnable::run);
    }

    /** A configured listener will not bind (its settings or an address were refused): the others need not wait. */
    public void failed(String key) {
        List<Runnable> toRun;
        synchronized (this) {
            toRun = open ? List.of() : reported(key);
        }
        toRun.forEach(Runnable::run);
    }

    /** @return whether listeners accept as soon as they bind */
    public synchronized boolean isOpen() {
        return open;
    }

    private List<Runnable> reported(String key) {
        if (key != null) {
            awaited.remove(key);
        }
        return awaited.isEmpty() ? openNow() : List.of();
    }

    private List<Runnable> openNow() {
        open = true;
        List<Runnable> toRun = List.copyOf(held);
        held.clear();
        return toRun;
    }

    private void startTimer() {
        if (timerStarted) {
            return;
        }
        timerStarted = true;
        timer.schedule(this::timeOut, MAX_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void timeOut() {
        List<Runnable> toRun;
        synchronized (this) {
            if (open) {
                return;
            }
            LOG.warn("Listeners {} did not start within {} s; the others accept clients now.", awaited,
                    MAX_WAIT_SECONDS);
            awaited.clear();
            toRun = openNow();
        }
        toRun.forEach(Runnable::run);
    }
}
