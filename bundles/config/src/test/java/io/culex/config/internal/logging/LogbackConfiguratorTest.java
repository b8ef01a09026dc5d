package io.culex.config.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real logback, in a context of its own so that the test run's logging is not disturbed. */
class LogbackConfiguratorTest {

    @TempDir
    Path dir;

    private final LoggerContext context = new LoggerContext();
    private final LogbackConfigurator configurator = new LogbackConfigurator(context, ZoneOffset.UTC);
    private final Logger core = context.getLogger("io.culex.core");

    @BeforeEach
    void startContext() {
        // what logback's slf4j provider does for the real context
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    private Path logFile() {
        return dir.resolve("culex.log");
    }

    private LoggingSettings.Builder toFile() {
        return LoggingSettings.builder().file(logFile());
    }

    private List<String> logLines() throws IOException {
        return Files.readAllLines(logFile());
    }

    private List<String> rootAppenderNames() {
        List<String> names = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
                it.hasNext(); ) {
            names.add(it.next().getName());
        }
        return names;
    }

    @Test
    void linesLookLikeMosquittos() throws IOException {
        configurator.apply(toFile().build());
        long before = System.currentTimeMillis() / 1000;
        core.info("Opening ipv4 listen socket on port {}.", 1883);
        long after = System.currentTimeMillis() / 1000;

        String line = logLines().get(0);
        assertTrue(line.matches("\\d+: Opening ipv4 listen socket on port 1883\\."), line);
        long seconds = Long.parseLong(line.substring(0, line.indexOf(':')));
        assertTrue(seconds >= before && seconds <= after);
    }

    @Test
    void withoutTimestamp() throws IOException {
        configurator.apply(toFile().timestamp(false).build());
        core.warn("Warning: something");
        assertEquals(List.of("Warning: something"), logLines());
    }

    @Test
    void withAStrftimeTimestamp() throws IOException {
        configurator.apply(toFile().timestampFormat("%Y-%m-%dT%H:%M:%S").build());
        core.info("hello");
        assertTrue(logLines().get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d: hello"), logLines().get(0));
    }

    @Test
    void exceptionsFollowTheMessage() throws IOException {
        configurator.apply(toFile().timestamp(false).build());
        core.error("Error: it broke", new IllegalStateException("because"));
        List<String> lines = logLines();
        assertEquals("Error: it broke", lines.get(0));
        assertEquals("java.lang.IllegalStateException: because", lines.get(1));
    }

    @Test
    void onlyTheEnabledTypesAreLogged() throws IOException {
        configurator.apply(toFile().timestamp(false).addType(LogType.WARNING).addType(LogType.DEBUG).build());
        core.error("error");
        core.warn("warning");
        core.info("information");
        core.debug("debug");
        assertEquals(List.of("warning", "debug"), logLines());
    }

    @Test
    void loggerLevelsFollowTheTypesAndThirdPartyLoggersStayQuiet() {
        configurator.apply(LoggingSettings.defaults());
        assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.apache.felix").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.eclipse.jetty").getLevel());

        configurator.apply(LoggingSettings.defaults().withAllTypes());
        assertEquals(Level.DEBUG, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.DEBUG, context.getLogger("io.netty").getLevel());

        configurator.apply(LoggingSettings.builder().addType(LogType.ERROR).build());
        assertEquals(Level.ERROR, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.ERROR, context.getLogger("io.netty").getLevel());

        configurator.apply(LoggingSettings.builder().noDestinations().build());
        assertEquals(Level.OFF, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    }

    @Test
    void itReplacesWhateverLogbackWasConfiguredWith() {
        ListAppender<ILoggingEvent> launcherAppender = new ListAppender<>();
        launcherAppender.setName("CONSOLE");
        launcherAppender.setContext(context);
        launcherAppender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(launcherAppender);

        configurator.apply(LoggingSettings.builder().addDestination(LogDestination.STDOUT).file(logFile()).build());
        assertEquals(List.of("culex-stdout", "culex-file"), rootAppenderNames());
        assertFalse(launcherAppender.isStarted());

        configurator.apply(LoggingSettings.builder().noDestinations().build());
        assertEquals(List.of(), rootAppenderNames());
    }

    @Test
    void theDefaultIsStandardError() {
        String output = standardErrorOf(() -> {
            configurator.apply(LoggingSettings.defaults());
            core.info("mosquitto version 2.0.11 starting");
        });
        assertTrue(output.matches("\\d+: mosquitto version 2.0.11 starting\\R"), output);
    }

    @Test
    void aLogFileThatCannotBeOpenedIsSkippedAsMosquittoDoes() {
        Path unwritable = dir.resolve("no/such/dir/culex.log");
        String output = standardErrorOf(() -> configurator.apply(LoggingSettings.builder()
                .addDestination(LogDestination.STDERR).file(unwritable).timestamp(false).build()));
        assertEquals(List.of("culex-stderr"), rootAppenderNames());
        assertEquals("Error: Unable to open log file " + unwritable + " for writing.", output.strip());
    }

    /** Logback's console appender takes System.err when it starts, so it is swapped around the whole action. */
    private static String standardErrorOf(Runnable action) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void topicAndDltHaveNoAppender() {
        configurator.apply(LoggingSettings.builder().addDestination(LogDestination.TOPIC)
                .addDestination(LogDestination.DLT).addDestination(LogDestination.SYSLOG).build());
        assertEquals(List.of("culex-syslog"), rootAppenderNames());
    }
}
