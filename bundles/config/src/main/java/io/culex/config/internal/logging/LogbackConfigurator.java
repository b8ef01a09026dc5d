package io.culex.config.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.slf4j.ILoggerFactory;

/**
 * Applies the logging options to logback programmatically. The root logger's appenders are replaced by one
 * appender per {@code log_dest}, each with the Mosquitto layout and the {@code log_type} filter; whatever logback
 * was configured with before (a launcher's logback.xml) is superseded, since the configuration file is where a
 * Mosquitto user says where the log goes. New appenders are attached before the old ones are detached, so no
 * line is lost while switching; a reload therefore also closes and reopens the log file, as SIGHUP does for
 * Mosquitto (for logrotate).
 */
public final class LogbackConfigurator implements LoggingConfigurator {

    /** Third-party loggers that are far too chatty below WARN unless the user asked for debug. */
    static final List<String> QUIET_LOGGERS = List.of("io.netty", "org.apache.felix", "org.eclipse.jetty",
            "com.hazelcast");

    private static final String APPENDER_PREFIX = "culex-";

    private final LoggerContext context;
    private final ZoneId zone;

    LogbackConfigurator(LoggerContext context, ZoneId zone) {
        this.context = context;
        this.zone = zone;
    }

    static LoggingConfigurator forFactory(ILoggerFactory factory) {
        return new LogbackConfigurator((LoggerContext) factory, ZoneId.systemDefault());
    }

    @Override
    public synchronized void apply(LoggingSettings settings) {
        List<String> problems = new ArrayList<>();
        List<Appender<ILoggingEvent>> appenders = createAppenders(settings, problems);

        // with no destination at all, nothing needs to be evaluated (and logback would warn about the root logger)
        Level lowest = appenders.isEmpty() ? Level.OFF : lowestLevel(settings.types());
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(lowest);
        Level quiet = settings.types().contains(LogType.DEBUG) ? Level.DEBUG
                : lowest.isGreaterOrEqual(Level.WARN) ? lowest : Level.WARN;
        for (String name : QUIET_LOGGERS) {
            context.getLogger(name).setLevel(quiet);
        }

        appenders.forEach(root::addAppender);
        List<Appender<ILoggingEvent>> previous = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (!appenders.contains(appender)) {
                previous.add(appender);
            }
        }
        for (Appender<ILoggingEvent> appender : previous) {
            root.detachAppender(appender);
            appender.stop();
        }

        // logged only now, so that they reach the new destinations
        Logger log = context.getLogger("io.culex.config");
        problems.forEach(log::error);
    }

    private List<Appender<ILoggingEvent>> createAppenders(LoggingSettings settings, List<String> problems) {
        LogTypeFilter filter = new LogTypeFilter(settings.types(), settings.connectionMessages());
        filter.setContext(context);
        filter.start();
        List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
        for (LogDestination destination : settings.destinations()) {
            Appender<ILoggingEvent> appender = switch (destination) {
                case STDOUT -> console("System.out", settings);
                case STDERR -> console("System.err", settings);
                case FILE -> file(settings.file().orElseThrow(), settings, problems);
                case SYSLOG -> syslog(settings);
                case TOPIC, DLT -> null; // not a logback destination; reported when the file was read
            };
            if (appender != null) {
                appender.setName(APPENDER_PREFIX + destination.configName());
                appender.addFilter(filter);
                appender.start();
                appenders.add(appender);
            }
        }
        return appenders;
    }

    private Appender<ILoggingEvent> console(String target, LoggingSettings settings) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setTarget(target);
        return withMosquittoLayout(appender, settings);
    }

    private Appender<ILoggingEvent> file(Path path, LoggingSettings settings, List<String> problems) {
        // Mosquitto keeps running without the file when it cannot open it, and says so
        try (OutputStream probe = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            probe.flush();
        } catch (IOException | SecurityException e) {
            problems.add("Error: Unable to open log file " + path + " for writing.");
            return null;
        }
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setFile(path.toString());
        appender.setAppend(true);
        return withMosquittoLayout(appender, settings);
    }

    private Appender<ILoggingEvent> withMosquittoLayout(OutputStreamAppender<ILoggingEvent> appender,
            LoggingSettings settings) {
        MosquittoLayout layout = new MosquittoLayout(settings, zone);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        appender.setContext(context);
        appender.setEncoder(encoder);
        return appender;
    }

    /**
     * Java cannot write to the local /dev/log datagram socket, so syslog goes over UDP to localhost:514 (the
     * syslog daemon must accept UDP), with Mosquitto's facility: daemon, or local0..7 from log_facility.
     */
    private Appender<ILoggingEvent> syslog(LoggingSettings settings) {
        SyslogAppender appender = new SyslogAppender();
        appender.setContext(context);
        appender.setSyslogHost("localhost");
        appender.setPort(514);
        int facility = settings.syslogFacility();
        appender.setFacility(facility == LoggingSettings.DAEMON_FACILITY ? "DAEMON" : "LOCAL" + facility);
        appender.setSuffixPattern("culex[" + ProcessHandle.current().pid() + "]: %msg");
        return appender;
    }

    /** The most verbose level any enabled type needs; category types are logged at INFO. */
    static Level lowestLevel(Set<LogType> types) {
        if (types.contains(LogType.DEBUG)) {
            return Level.DEBUG;
        }
        for (LogType type : types) {
            if (type == LogType.NOTICE || type == LogType.INFORMATION || type.isCategory()) {
                return Level.INFO;
            }
        }
        if (types.contains(LogType.WARNING)) {
            return Level.WARN;
        }
        return types.contains(LogType.ERROR) ? Level.ERROR : Level.OFF;
    }
}
