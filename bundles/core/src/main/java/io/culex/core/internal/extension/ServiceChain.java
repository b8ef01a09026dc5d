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
 */
public final class ServiceChain<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceChain.class);

    /**
     * Service property scoping an authenticator or authorizer to the clients of one listener (Mosquitto's
     * {@code per_listener_settings}): its port.
     */
    public static final String LISTENER_PORT = "culex.listener.port";

    /** One registered service and the name of the bundle it comes from, for log lines. */
    public static final class Entry<T> {
        private final ServiceReference<?> reference;
        private final T service;
        private final String origin;
        private final Integer listenerPort;

        Entry(ServiceReference<?> reference, T service) {
            this.reference = reference;
            this.service = service;
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
         * @return whether the service applies to clients of this listener: services without the
         *     {@value #LISTENER_PORT} property apply to every listener ({@code per_listener_settings})
         */
        public boolean appliesTo(int port) {
            return listenerPort == null || listenerPort == port;
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

    public synchronized void remove(ServiceReference<?> reference) {
        List<Entry<T>> list = new ArrayList<>(Arrays.asList(entries));
        for (Entry<T> e : entries) {
            if (e.reference.equals(reference)) {
                list.remove(e);
                entries = toArray(list);
                LOG.info("{} from {} unregistered ({} left in the chain).", capitalized(), e.origin, list.size());
            }
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
