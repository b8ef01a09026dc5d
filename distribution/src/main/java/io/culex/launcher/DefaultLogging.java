package io.culex.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import org.slf4j.Logger;

/**
 * Logback's configuration until the config bundle applies the {@code log_*} options of the configuration file: the
 * bundles' log on stderr in Mosquitto's format ({@code <unix seconds>: message}), libraries at WARN. Built in code
 * (found by logback through {@code META-INF/services}), because parsing an XML file costs a tenth of the broker's
 * start-up. A file given with {@code -Dlogback.configurationFile} takes over, as logback documents.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {
    static final String FILE_PROPERTY = "logback.configurationFile";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%epoch{seconds}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        // libraries: only what goes wrong; what bundles log to the OSGi Log Service arrives under their names (OsgiLog)
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("org.apache.felix").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("com.hazelcast").setLevel(Level.WARN); // the cluster bundle logs membership itself
        context.getLogger("org.apache.felix.fileinstall").setLevel(Level.INFO); // plugins/: installed, started, ...
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
