package io.culex.launcher;

import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The contract with the config bundle (io.culex.config): it registers a {@code java.lang.Runnable} service with
 * the property {@code culex.config.status} = {@code ready} or {@code failed}; running it re-reads the
 * configuration (what SIGHUP does). Other bundles that reload a file of their own on SIGHUP (the password and ACL
 * files) register a {@code Runnable} with {@code culex.reload} = {@code sighup}; SIGHUP runs those too, after the
 * configuration. Tracked on the system bundle's context.
 */
final class ConfigStatus {
    static final String BUNDLE = "io.culex.config";
    static final String PROPERTY = "culex.config.status";
    static final String READY = "ready";
    static final String FAILED = "failed";
    /**
     * {@code io.culex.api.ServiceProperties.RELOAD}, copied: the launcher has only the framework on its class path
     * (see STACK.md, pitfall 7), not the API bundle.
     */
    static final String RELOAD_PROPERTY = "culex.reload";
    static final String RELOAD_ON_SIGHUP = "sighup";

    private final ServiceTracker<Runnable, Runnable> tracker;
    private final CompletableFuture<String> firstStatus = new CompletableFuture<>();

    ConfigStatus(BundleContext context) throws InvalidSyntaxException {
        Filter filter = context.createFilter("(&(objectClass=" + Runnable.class.getName() + ")(|(" + PROPERTY + "=*)("
                + RELOAD_PROPERTY + "=" + RELOAD_ON_SIGHUP + ")))");
        tracker = new ServiceTracker<>(context, filter, null) {
            @Override
            public Runnable addingService(ServiceReference<Runnable> ref) {
                check(ref);
                return super.addingService(ref);
            }

            @Override
            public void modifiedService(ServiceReference<Runnable> ref, Runnable service) {
                check(ref);
            }
        };
        tracker.open();
    }

    private void check(ServiceReference<Runnable> ref) {
        Object status = ref.getProperty(PROPERTY);
        if (READY.equals(status) || FAILED.equals(status)) {
            firstStatus.complete((String) status);
        }
    }

    /** Waits for the first {@code ready} or {@code failed}; null on timeout. */
    String await(long seconds) throws InterruptedException {
        try {
            return firstStatus.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SIGHUP: runs every config status service (normally one), then every other reload service; each logs its own
     * result. The configuration goes first, since it may point the others at new files.
     */
    void reload() {
        ServiceReference<Runnable>[] found = tracker.getServiceReferences();
        ServiceReference<Runnable>[] refs = found == null ? newArray() : found;
        Arrays.sort(refs, Comparator.comparing(ref -> ref.getProperty(PROPERTY) == null));
        if (Arrays.stream(refs).noneMatch(ref -> ref.getProperty(PROPERTY) != null)) {
            Console.info("Warning: SIGHUP received, but no configuration service (" + BUNDLE + ") is there to reload");
        }
        for (ServiceReference<Runnable> ref : refs) {
            Runnable r = tracker.getService(ref);
            if (r == null) {
                continue;
            }
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                Console.error("Reloading failed (" + ref.getBundle().getSymbolicName() + ")", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static ServiceReference<Runnable>[] newArray() {
        return new ServiceReference[0];
    }

    void close() {
        tracker.close();
    }
}
