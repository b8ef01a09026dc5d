package io.culex.core.internal.extension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered services of one SPI interface, in chain order: {@code service.ranking} highest first, then
 * {@code service.id} lowest first (which is {@link ServiceReference#compareTo} reversed).
 *
 * <p>Copy-on-write: the rare (un)registration copies the array, the frequent event reads one volatile snapshot,
 * so an event in progress finishes with the chain it started with.
 *
 * <p>A snapshot may still hold a service whose bundle is stopping. So that no call reaches a stopped plugin, every
 * call goes through {@link Entry#enter()}/{@link Entry#exit()}: {@link #remove} first retires the entry (from then
 * on {@code enter()} refuses, and the caller skips the service as if it had been unregistered a moment earlier),
 * then waits for the calls already inside it to return. DS calls {@code remove} from the unbind method, before the
 * providing component is deactivated, so when the plugin's {@code @Deactivate} runs no call is in it and none
 * will start. Callbacks must not block (they run on network threads), so the wait is short; it is bounded by
 * {@link #DRAIN_TIMEOUT_MILLIS} so that a callback that does block cannot hang the framework, which is logged.
 */
public final class ServiceChain<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceChain.class);

    /**
     * Service property scoping an authenticator or authorizer to the clients of one listener (Mosquitto's
     * {@code per_listener_settings}): its port.
     */
    public static final String LISTENER_PORT = io.culex.api.ServiceProperties.LISTENER_PORT;
    /** Service property scoping a service to one listener by identity ({@code ClientInfo.listener()}). */
    public static final String LISTENER = io.culex.api.ServiceProperties.LISTENER;

    /** How long unregistration waits for calls in flight before giving up (and logging the plugin). */
    static final long DRAIN_TIMEOUT_MILLIS = 5_000;

    /** One registered service and the name of the bundle it comes from, for log lines. */
    public static final class Entry<T> {
        private final ServiceReference<?> reference;
        private final T service;
        private final String origin;
        private final Integer listenerPort;
        private final String listener;
        /** Calls inside the service now, plus {@link #RETIRED} once it is being unregistered. */
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        private static final int RETIRED = 1 << 30;

        Entry(ServiceReference<?> reference, T service) {
            this.reference = reference;
            this.service = service;
            Object id = reference.getProperty(LISTENER);
            this.listener = id == null ? null : id.toString();
            Object port = reference.getProperty(LISTENER_PORT);
            this.listenerPort = port instanceof Number ? Integer.valueOf(((Number) port).intValue())
                    : port == null ? null : Integer.valueOf(port.toString().trim());
            Bundle bundle = reference.getBundle();
            this.origin = bundle == null ? "?" : bundle.getSymbolicName() + " " + bundle.getVersion();
        }

        public T service() {
            return service;
        }

        /** @return the providing bundle's symbolic name and version */
        public String origin() {
            return origin;
        }

        public ServiceReference<?> reference() {
            return reference;
        }

        /**
         * @return whether the service applies to this client's listener ({@code per_listener_settings}): a service
         *     with {@value #LISTENER} applies to that listener only, one with only {@value #LISTENER_PORT} to the
         *     listeners on that port, one with neither to every listener
         */
        public boolean appliesTo(io.culex.api.ClientInfo client) {
            if (listener != null) {
                return listener.equals(client.listener());
            }
            return listenerPort == null || listenerPort == client.listenerPort();
        }

        /**
         * Call before calling the service; when it returns {@code true}, call {@link #exit()} in a finally block.
         *
         * @return {@code false} if the service is being unregistered: do not call it, go on as if it were absent
         */
        public boolean enter() {
            if (state.incrementAndGet() >= RETIRED) {
                exit();
                return false;
            }
            return true;
        }

        /** The call that {@link #enter()} admitted has returned. */
        public void exit() {
            if (state.decrementAndGet() == RETIRED) {
                synchronized (this) {
                    notifyAll(); // the unregistering thread waits for the last call in flight
                }
            }
        }

        /** Refuses new calls, then waits (bounded) until the calls in flight have returned. */
        boolean retireAndDrain(long timeoutMillis) {
            state.addAndGet(RETIRED);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            synchronized (this) {
                while (state.get() != RETIRED) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static final Comparator<Entry<?>> CHAIN_ORDER =
            (a, b) -> b.reference.compareTo(a.reference);

    private final String kind;
    @SuppressWarnings("unchecked")
    private volatile Entry<T>[] entries = new Entry[0];

    public ServiceChain(String kind) {
        this.kind = kind;
    }

    /** @return what the services are, for log lines ("authenticator", ...) */
    public String kind() {
        return kind;
    }

    public synchronized void add(ServiceReference<?> reference, T service) {
        List<Entry<T>> list = new ArrayList<>(Arrays.asList(entries));
        list.removeIf(e -> e.reference.equals(reference));
        Entry<T> entry = new Entry<>(reference, service);
        list.add(entry);
        list.sort(CHAIN_ORDER);
        entries = toArray(list);
        LOG.info("{} from {} registered ({} in the chain).", capitalized(), entry.origin, list.size());
    }

    /** Unbinds a service: from now on no call starts in it, and the calls in flight have returned (see above). */
    public void remove(ServiceReference<?> reference) {
        List<Entry<T>> removed = new ArrayList<>();
        synchronized (this) {
            List<Entry<T>> list = new ArrayList<>(Arrays.asList(entries));
            for (Entry<T> e : entries) {
                if (e.reference.equals(reference)) {
                    list.remove(e);
                    removed.add(e);
                }
            }
            entries = toArray(list);
        }
        // drained outside the lock: registrations of other services need not wait for this one's calls
        for (Entry<T> e : removed) {
            if (!e.retireAndDrain(DRAIN_TIMEOUT_MILLIS)) {
                LOG.error("{} from {} was unregistered while a call was still running in it after {} ms; callbacks "
                        + "must not block.", capitalized(), e.origin, DRAIN_TIMEOUT_MILLIS);
            }
            LOG.info("{} from {} unregistered ({} left in the chain).", capitalized(), e.origin,
                    entries.length);
        }
    }

    private String capitalized() {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    /** A service's properties changed (its ranking may have). */
    public synchronized void update(ServiceReference<?> reference) {
        List<Entry<T>> list = new ArrayList<>(Arrays.asList(entries));
        list.sort(CHAIN_ORDER);
        entries = toArray(list);
    }

    /** @return the chain now; never modified afterwards */
    public Entry<T>[] snapshot() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    @SuppressWarnings("unchecked")
    private Entry<T>[] toArray(List<Entry<T>> list) {
        return list.toArray(new Entry[0]);
    }
}
