package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.LISTENER_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.LISTENER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culex.config.internal.logging.LogDestination;
import io.culex.config.internal.logging.LogType;
import io.culex.config.internal.logging.LoggingSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start and reload: what reaches Config Admin and the log, for good and bad files. */
class BrokerConfiguratorTest {

    @TempDir
    Path dir;

    private final FakeConfigurationAdmin admin = new FakeConfigurationAdmin();
    private final List<LoggingSettings> appliedLogging = new ArrayList<>();
    private final List<Diagnostic> log = new ArrayList<>();
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private final BrokerConfigurator configurator =
            new BrokerConfigurator(frameworkProperties::get, admin, appliedLogging::add, log::add);

    private Path conf(String... lines) {
        Path file = ConfFiles.write(dir.resolve("culex.conf"), lines);
        frameworkProperties.put("culex.config.file", file.toString());
        return file;
    }

    private List<String> messages() {
        return log.stream().map(Diagnostic::message).toList();
    }

    private List<String> errors() {
        return log.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).map(Diagnostic::message).toList();
    }

    private String listenerPid(String key) {
        return admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, key).getPid();
    }

    @Test
    void aGoodFileConfiguresTheBroker() {
        Path file = conf("listener 1883", "max_queued_messages 10", "log_dest stdout", "log_type error");
        assertTrue(configurator.start());
        assertTrue(configurator.isReady());
        assertEquals(Optional.empty(), configurator.error());
        assertEquals(10, admin.properties("io.culex.core.broker").get("max_queued_messages"));
        assertEquals(1, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
        assertEquals(List.of("Config loaded from " + file + "."), messages());
        assertEquals(1, appliedLogging.size());
        assertEquals(EnumSet.of(LogDestination.STDOUT), appliedLogging.get(0).destinations());
        assertEquals(EnumSet.of(LogType.ERROR), appliedLogging.get(0).types());
        assertEquals(new WatchedSources(List.of(file), List.of()), configurator.sources());
    }

    @Test
    void withoutAFileItIsMosquittosLocalOnlyMode() {
        assertTrue(configurator.start());
        Map<String, Object> broker = new java.util.HashMap<>(admin.properties("io.culex.core.broker"));
        assertEquals(List.of("127.0.0.1:1883", "[::1]:1883"),
                List.of((String[]) broker.remove("culex.listener_keys")));
        assertEquals(Map.of("local_only", true, "culex.origin", "culex.conf", "service.pid", "io.culex.core.broker"),
                broker);
        assertEquals(Set.of("127.0.0.1", "::1"), Set.of(
                admin.properties(listenerPid("127.0.0.1:1883")).get("bind_address"),
                admin.properties(listenerPid("[::1]:1883")).get("bind_address")));
        assertEquals(List.of(
                "Using default config.",
                "Starting in local only mode. Connections will only be possible from clients running on this machine.",
                "Create a configuration file which defines a listener to allow remote access.",
                "For more details see https://mosquitto.org/documentation/authentication-methods/"), messages());
        assertEquals(LoggingSettings.defaults(), appliedLogging.get(0));
    }

    @Test
    void commandLinePortsInLocalOnlyMode() {
        frameworkProperties.put("culex.cmd.ports", "1884,1885");
        assertTrue(configurator.start());
        assertEquals(4, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
        assertEquals(1885, admin.properties(listenerPid("[::1]:1885")).get("port"));
    }

    @Test
    void commandLinePortsAreNotUsedWithListenersInTheFile() {
        frameworkProperties.put("culex.cmd.ports", "1884");
        conf("listener 8883");
        assertTrue(configurator.start());
        assertEquals(1, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
        assertTrue(messages().contains(
                "Note: the -p ports are not used because the configuration defines listeners (as in Mosquitto)."));
    }

    @Test
    void verboseEnablesEveryLogType() {
        frameworkProperties.put("culex.verbose", "true");
        conf("log_type error", "listener 1883");
        configurator.start();
        assertEquals(EnumSet.allOf(LogType.class), appliedLogging.get(0).types());
    }

    @Test
    void aBadFileFailsTheStartAndConfiguresNothing() throws IOException {
        admin.put("io.culex.core.listener.earlier", LISTENER_FACTORY_PID,
                Map.of("port", 1883, LISTENER_KEY, "*:1883", "culex.origin", "culex.conf"));
        Path file = conf("listener 1883", "port 1884", "foo bar");

        assertFalse(configurator.start());

        assertFalse(configurator.isReady());
        assertEquals(Optional.of("Error: Unknown configuration variable \"foo\". Error found at " + file + ":3."),
                configurator.error());
        assertEquals(Set.of(), admin.pids(), "nothing configured, and the earlier run's listener removed");
        assertEquals(List.of("Error: Unknown configuration variable \"foo\".", "Error found at " + file + ":3."),
                errors());
        assertTrue(messages().get(0).startsWith("The 'port' option is now deprecated"),
                "diagnostics before the error are still reported");
        assertEquals(List.of(LoggingSettings.defaults()), appliedLogging);
    }

    @Test
    void aMissingFileFailsTheStart() {
        Path missing = dir.resolve("missing.conf");
        frameworkProperties.put("culex.config.file", missing.toString());
        assertFalse(configurator.start());
        assertEquals(List.of("Error: Unable to open config file " + missing + "."), errors());
        assertEquals(new WatchedSources(List.of(missing), List.of()), configurator.sources(),
                "the file is watched so that creating it can be noticed");
    }

    @Test
    void invalidCommandLinePortsFailTheStart() {
        frameworkProperties.put("culex.cmd.ports", "99999");
        assertFalse(configurator.start());
        assertEquals(List.of("Error: Invalid port specified (99999)."), errors());
        assertFalse(configurator.reload());
    }

    @Test
    void thePidFileIsWrittenAtStartAndRemovedAtStop() throws IOException {
        Path pidFile = dir.resolve("culex.pid");
        conf("pid_file " + pidFile, "listener 1883");
        assertTrue(configurator.start());
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pidFile));
        configurator.stop();
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void aPidFileThatCannotBeWrittenFailsTheStart() {
        conf("pid_file " + dir.resolve("no/such/dir/culex.pid"), "listener 1883");
        assertFalse(configurator.start());
        assertEquals(List.of("Error: Unable to write pid file."), errors());
        assertEquals(Set.of(), admin.pids());
    }

    @Test
    void aReloadAppliesOnlyWhatChanged() {
        conf("listener 1883", "listener 8883", "max_connections 10", "max_queued_messages 10");
        configurator.start();
        String plain = listenerPid("*:1883");
        long plainChanges = admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, "*:1883").getChangeCount();
        log.clear();

        conf("listener 1883", "listener 8883", "max_connections 20", "max_queued_messages 10", "listener 9001");
        assertTrue(configurator.reload());

        assertEquals(List.of(
                "Reloading config.",
                "Configuration created: io.culex.core.listener[*:9001]",
                "Configuration updated: io.culex.core.broker", // its list of listeners
                "Configuration updated: io.culex.core.listener[*:8883]"), messages());
        assertEquals(plain, listenerPid("*:1883"));
        assertEquals(plainChanges,
                admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, "*:1883").getChangeCount());
        assertEquals(20, admin.properties(listenerPid("*:8883")).get("max_connections"));
    }

    @Test
    void aBadReloadKeepsTheRunningConfiguration() {
        conf("listener 1883", "max_queued_messages 10");
        configurator.start();
        Map<String, Object> broker = admin.properties("io.culex.core.broker");
        int updates = admin.updates;
        log.clear();

        Path file = conf("listener 1883", "max_queued_messages 20", "max_keepalive 5");
        assertFalse(configurator.reload());

        assertTrue(configurator.isReady(), "the broker keeps running");
        assertEquals(broker, admin.properties("io.culex.core.broker"));
        assertEquals(updates, admin.updates);
        assertEquals(List.of("Reloading config.", "Error: Invalid max_keepalive value (5).",
                "Error found at " + file + ":3.",
                "Warning: The configuration was not reloaded; the running configuration is unchanged."), messages());
        assertEquals(1, appliedLogging.size(), "logging is not touched either");
    }

    @Test
    void aGoodReloadAfterAFailedStartMakesTheConfigurationReady() {
        conf("foo");
        assertFalse(configurator.start());
        conf("listener 1883");
        assertTrue(configurator.reload());
        assertTrue(configurator.isReady());
        assertEquals(Optional.empty(), configurator.error());
        assertEquals(1, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
    }

    @Test
    void aReloadAppliesTheNewLoggingOptions() {
        conf("listener 1883");
        configurator.start();
        conf("listener 1883", "log_timestamp false");
        configurator.reload();
        assertEquals(2, appliedLogging.size());
        assertFalse(appliedLogging.get(1).timestamp());
    }

    @Test
    void removingTheLastListenerEntersLocalOnlyModeAndSaysSo() {
        conf("listener 1883");
        configurator.start();
        log.clear();
        conf("# local only now");
        configurator.reload();
        assertTrue(messages().contains(
                "Starting in local only mode. Connections will only be possible from clients running on this machine."));
        assertEquals(true, admin.properties("io.culex.core.broker").get("local_only"));
    }
}
