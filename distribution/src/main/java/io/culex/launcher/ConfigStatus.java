package io.culex.launcher;

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
 * configuration (what SIGHUP does). Tracked on the system bundle's context.
 */
final class ConfigStatus {
    static final String BUNDLE = "io.culex.config";
    static final String PROPERTY = "culex.config.status";
    static final String READY = "ready";
    static final String FAILED = "failed";

    private final ServiceTracker<Runnable, Runnable> tracker;
    private final CompletableFuture<String> firstStatus = new CompletableFuture<>();

    ConfigStatus(BundleContext context) throws InvalidSyntaxException {
        Filter filter = context.createFilter("(&(objectClass=" + Runnable.class.getName() + ")(" + PROPERTY + "=*))");
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

    /** SIGHUP: runs every config status service (normally one); each logs its own result. */
    void reload() {
        ServiceReference<Runnable>[] refs = tracker.getServiceReferences();
        if (refs == null) {
            Console.info("Warning: SIGHUP received, but no configuration service (" + BUNDLE + ") is there to reload");
            return;
        }
        for (ServiceReference<Runnable> ref : refs) {
            Runnable r = tracker.getService(ref);
            if (r == null) {
                continue;
            }
            try {
                r.run();
            } catch (RuntimeException | LinkageError e) {
                Console.error("Reloading the configuration failed", e);
            }
        }
    }

    void close() {
        tracker.close();
    }
}
