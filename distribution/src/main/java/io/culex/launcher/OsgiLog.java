package io.culex.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Shows what bundles log to the OSGi Log Service (Felix SCR's component failures, Config Admin, FileInstall,
 * Metatype): without this, those entries stay in org.apache.felix.log's memory and nobody sees them. Each entry is
 * passed to slf4j (so conf/logback.xml decides what is shown) under the symbolic name of the bundle that logged it.
 * The launcher cannot see the OSGi log or slf4j API classes, so both are used reflectively through the bundles'
 * own class loaders. Bundle, service and framework events (logger names {@code Events.*}) are left out.
 */
final class OsgiLog implements InvocationHandler {
    private static final String LOG_PACKAGE = "org.osgi.service.log.";
    private static final java.util.logging.Logger SPIFLY = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private final BundleContext context;
    private final ServiceTracker<Object, Object> tracker;
    private final Map<String, Object> loggers = new ConcurrentHashMap<>();
    private volatile Method getLogger; // org.slf4j.LoggerFactory.getLogger(String), once slf4j can be used
    private volatile Class<?> slf4jLogger;

    OsgiLog(BundleContext context) {
        this.context = context;
        // SPI Fly logs each provider it registers to java.util.logging at INFO
        SPIFLY.setLevel(Console.verbose() ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        this.tracker = new ServiceTracker<>(context, LOG_PACKAGE + "LogReaderService", null) {
            @Override
            public Object addingService(ServiceReference<Object> ref) {
                Object reader = context.getService(ref);
                try {
                    Class<?> listener = ref.getBundle().loadClass(LOG_PACKAGE + "LogListener");
                    Object proxy = Proxy.newProxyInstance(listener.getClassLoader(), new Class<?>[] {listener}, OsgiLog.this);
                    ref.getBundle().loadClass(LOG_PACKAGE + "LogReaderService")
                            .getMethod("addLogListener", listener).invoke(reader, proxy);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    Console.error("Cannot show the OSGi log of " + SystemBundles.name(ref.getBundle()), e);
                }
                return reader; // the listener goes away with the service
            }
        };
    }

    void open() {
        tracker.open();
    }

    void close() {
        tracker.close();
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "logged":
                try {
                    logged(args[0]);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    Console.error("Cannot show an OSGi log entry", e);
                }
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                return "culex launcher LogListener";
        }
    }

    private void logged(Object entry) throws ReflectiveOperationException {
        Class<?> type = entry.getClass().getClassLoader().loadClass(LOG_PACKAGE + "LogEntry");
        String level = String.valueOf(type.getMethod("getLogLevel").invoke(entry)); // AUDIT ERROR WARN INFO DEBUG TRACE
        String loggerName = (String) type.getMethod("getLoggerName").invoke(entry);
        boolean severe = level.equals("AUDIT") || level.equals("ERROR") || level.equals("WARN");
        if (loggerName != null && loggerName.startsWith("Events.")) {
            return; // bundle, service and framework events: the framework's own log (FelixLog) reports the errors
        }
        Bundle bundle = (Bundle) type.getMethod("getBundle").invoke(entry);
        String name = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : String.valueOf(loggerName);
        String message = (String) type.getMethod("getMessage").invoke(entry);
        Throwable exception = (Throwable) type.getMethod("getException").invoke(entry);
        Object logger = slf4j(name);
        if (logger == null) { // before logback is there: straight to the console, errors and warnings only
            if (severe || Console.verbose()) {
                Console.info(level + " " + name + ": " + message + (exception == null ? "" : ": " + Console.describe(exception)));
            }
            return;
        }
        String method = level.equals("AUDIT") ? "error" : level.toLowerCase(java.util.Locale.ROOT);
        slf4jLogger.getMethod(method, String.class, Throwable.class).invoke(logger, message, exception);
    }

    /** The slf4j logger, or null while slf4j or its provider is not active (using it then would fix NOP for good). */
    private Object slf4j(String name) throws ReflectiveOperationException {
        if (getLogger == null) {
            Bundle api = null;
            boolean provider = false;
            for (Bundle b : context.getBundles()) {
                if ("slf4j.api".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE) {
                    api = b;
                }
                provider |= "ch.qos.logback.classic".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE;
            }
            if (api == null || !provider) {
                return null;
            }
            slf4jLogger = api.loadClass("org.slf4j.Logger");
            getLogger = api.loadClass("org.slf4j.LoggerFactory").getMethod("getLogger", String.class);
        }
        Object logger = loggers.get(name);
        if (logger == null) {
            logger = getLogger.invoke(null, name);
            loggers.put(name, logger);
        }
        return logger;
    }
}
