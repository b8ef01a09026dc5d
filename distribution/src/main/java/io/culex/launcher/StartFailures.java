package io.culex.launcher;

import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The contract with bundles that cannot let the broker start as configured (the persistence store is in use by
 * another process, for instance): such a bundle registers any service with the property {@code culex.start.failure}
 * = the error message. The launcher prints the message and stops the broker with exit code 1, as Mosquitto exits
 * when it cannot open its database, instead of running without what the configuration asked for.
 */
final class StartFailures {
    static final String PROPERTY = "culex.start.failure";

    private final AtomicReference<String> first = new AtomicReference<>();
    private final ServiceTracker<Object, Object> tracker;

    /** @param onFailure run once, on a thread of its own, when the first failure is reported */
    StartFailures(BundleContext context, Runnable onFailure) throws InvalidSyntaxException {
        tracker = new ServiceTracker<>(context, context.createFilter("(" + PROPERTY + "=*)"), null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                String message = String.valueOf(ref.getProperty(PROPERTY));
                if (first.compareAndSet(null, message)) {
                    Console.error(message);
                    Thread stopper = new Thread(onFailure, "culex-start-failure");
                    stopper.setDaemon(true);
                    stopper.start();
                }
                return ref;
            }
        };
        tracker.open(true);
    }

    /** @return the first failure reported, or {@code null} */
    String failure() {
        return first.get();
    }
}
