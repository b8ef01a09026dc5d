package io.culex.persistence.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Broker;
import io.culex.api.ServiceProperties;
import io.culex.api.persistence.PersistenceListener;

/**
 * Mosquitto's persistence as a bundle: with {@code persistence true} in its configuration it opens the store
 * (recovering from damage), registers a {@link PersistenceListener} that the broker restores from and keeps
 * informed, and writes what it hears. A configuration change re-opens it; deactivation (the bundle stopping,
 * updating or uninstalling) writes what is queued and a final snapshot, and the broker goes on in memory.
 */
@Component(configurationPid = PersistenceComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = PersistenceConfiguration.class)
public final class PersistenceComponent {

    public static final String PID = "io.culex.persistence";
    /** The log is compacted into a snapshot at the latest when it grows past this. */
    static final long MAX_LOG_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceComponent.class);
    /** The launcher's contract for a start that cannot go on (StartFailures in the distribution). */
    private static final String START_FAILURE = "culex.start.failure";

    private StoreFiles files;
    private StoreWriter writer;
    private ServiceRegistration<PersistenceListener> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws StoreException {
        if (!Boolean.parseBoolean(String.valueOf(properties.getOrDefault("persistence", "false")))) {
            LOG.debug("persistence is false: no store");
            return;
        }
        Path directory = directory(context, string(properties, "persistence_location", ""));
        String file = string(properties, "persistence_file", "culex.db");
        String durability = string(properties, "persistence_durability", "acknowledged");
        if (!durability.equals("acknowledged") && !durability.equals("autosave")) {
            throw new StoreException("Error: persistence_durability must be 'acknowledged' or 'autosave', not '"
                    + durability + "'" + source(properties) + ".");
        }
        StoreWriter.Policy policy = new StoreWriter.Policy(durability.equals("acknowledged"),
                number(properties, "autosave_interval", 1800),
                Boolean.parseBoolean(String.valueOf(properties.getOrDefault("autosave_on_changes", "false"))),
                MAX_LOG_BYTES);
        long start = System.nanoTime();
        StoreState state = new StoreState();
        LoadReport report = new LoadReport();
        try {
            files = StoreFiles.open(directory, file, state, report);
        } catch (StoreException e) {
            LOG.error(e.getMessage());
            reportIfTheBrokerWaits(context, e.getMessage());
            throw e;
        }
        for (String damage : report.damage) {
            LOG.warn("Persistence store recovered: {}.", damage);
        }
        LOG.info("Persistence store {} opened in {} ms: {} sessions, {} messages, {} retained ({} snapshot and {} log "
                        + "records; {}).", files.snapshotFile(), (System.nanoTime() - start) / 1_000_000,
                state.sessions(), state.messages(), state.retained(), report.snapshotRecords, report.logRecords,
                policy.logEvents() ? "every acknowledged message is on disk"
                        : "autosave every " + policy.autosaveSeconds()
                                + (policy.autosaveOnChanges() ? " changes" : " s"));
        writer = new StoreWriter(state, files, policy);
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(ServiceProperties.PROVIDER, "persistence");
        registration = context.registerService(PersistenceListener.class, new DurableStore(state, writer),
                serviceProperties);
    }

    /**
     * With {@code persistence true} the listeners open only once a store has restored the broker's state: a store
     * that cannot open at start would leave a broker that runs but never serves. The launcher is told instead (a
     * service with {@code culex.start.failure}, see the distribution's launcher), and stops the broker with the
     * message, as Mosquitto exits when it cannot open its database. A store installed into a broker that already
     * serves only logs the error: the broker goes on as it was.
     */
    private static void reportIfTheBrokerWaits(BundleContext context, String message) {
        ServiceReference<Broker> ref = context.getServiceReference(Broker.class);
        Broker broker = ref == null ? null : context.getService(ref);
        try {
            if (broker != null && !broker.listeners().isEmpty()) {
                return;
            }
        } finally {
            if (broker != null) {
                context.ungetService(ref);
            }
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(START_FAILURE, message);
        context.registerService(Object.class, new Object(), properties); // goes with the bundle
    }

    @Deactivate
    void deactivate() throws Exception {
        if (registration != null) {
            registration.unregister(); // the broker stops sending first
            registration = null;
        }
        if (writer != null) {
            writer.stop();
            writer = null;
        }
        if (files != null) {
            files.close();
            files = null;
        }
    }

    private static Path directory(BundleContext context, String location) {
        if (!location.isEmpty()) {
            return Paths.get(location).toAbsolutePath();
        }
        String home = context.getProperty("culex.home");
        return (home == null ? Paths.get("data") : Paths.get(home, "data")).toAbsolutePath();
    }

    private static String string(Map<String, Object> properties, String key, String otherwise) {
        Object value = properties.get(key);
        return value == null ? otherwise : value.toString().trim();
    }

    private static long number(Map<String, Object> properties, String key, long otherwise) {
        Object value = properties.get(key);
        return value == null ? otherwise : Long.parseLong(value.toString().trim());
    }

    private static String source(Map<String, Object> properties) {
        Object source = properties.get("culex.source");
        return source == null ? "" : " (" + source + ")";
    }
}
