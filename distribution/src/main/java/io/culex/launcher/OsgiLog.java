package io.culex.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows what bundles log to the OSGi Log Service (Felix SCR's component failures, Config Admin, FileInstall,
 * Metatype): without this, those entries stay in org.apache.felix.log's memory and nobody sees them. Each entry is
 * passed to slf4j (on the launcher's class path; logback's settings decide what is shown) under the symbolic name of
 * the bundle that logged it. The launcher cannot see the OSGi log API classes (a bundle's), so those are used
 * reflectively through the bundle's class loader. Bundle, service and framework events (logger names
 * {@code Events.*}) are left out.
 */
final class OsgiLog implements InvocationHandler {
    private static final String LOG_PACKAGE = "org.osgi.service.log.";
    private static final java.util.logging.Logger SPIFLY = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private final BundleContext context;
    private final ServiceTracker<Object, Object> tracker;

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
        if (loggerName != null && loggerName.startsWith("Events.")) {
            return; // bundle, service and framework events: the framework's own log (FelixLog) reports the errors
        }
        Bundle bundle = (Bundle) type.getMethod("getBundle").invoke(entry);
        String name = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : String.valueOf(loggerName);
        String message = (String) type.getMethod("getMessage").invoke(entry);
        Throwable exception = (Throwable) type.getMethod("getException").invoke(entry);
        Logger logger = LoggerFactory.getLogger(name);
        switch (level) {
            case "AUDIT":
            case "ERROR": logger.error(message, exception); break;
            case "WARN": logger.warn(message, exception); break;
            case "INFO": logger.info(message, exception); break;
            case "DEBUG": logger.debug(message, exception); break;
            default: logger.trace(message, exception); break;
        }
    }
}
