package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.LISTENER_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.LISTENER_KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigAdminSynchronizerTest {

    @TempDir
    Path dir;

    private final FakeConfigurationAdmin admin = new FakeConfigurationAdmin();
    private final ConfigAdminSynchronizer synchronizer = new ConfigAdminSynchronizer(admin);

    private List<PlannedConfiguration> plan(String... lines) {
        ParsedConfig config = new ConfParser().parse(ConfFiles.write(dir.resolve("culex.conf"), lines))
                .config().orElseThrow();
        return ConfigurationPlanner.plan(config, List.of());
    }

    private String listenerPid(String key) {
        return admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, key).getPid();
    }

    @Test
    void theFirstRunCreatesEveryConfiguration() throws IOException {
        SyncResult result = synchronizer.apply(plan("max_queued_messages 50", "password_file /pw", "listener 1883",
                "listener 8883"));
        assertEquals(List.of("io.culex.core.broker", "io.culex.auth.file", "io.culex.core.listener[*:1883]",
                "io.culex.core.listener[*:8883]"), result.created());
        Map<String, Object> broker = new java.util.HashMap<>(admin.properties("io.culex.core.broker"));
        assertArrayEquals(new String[] {"password_file"}, (String[]) broker.remove("required_providers"));
        assertArrayEquals(new String[] {"password_file"}, (String[]) broker.remove("required_authenticators"));
        assertArrayEquals(new String[] {"*:1883", "*:8883"}, (String[]) broker.remove("culex.listener_keys"));
        assertEquals(Map.of("max_queued_messages", 50, "local_only", false, "culex.origin", "culex.conf",
                "service.pid", "io.culex.core.broker"), broker);
        assertEquals(2, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
    }

    @Test
    void applyingTheSameFileAgainChangesNothing() throws IOException {
        List<PlannedConfiguration> plan = plan("max_queued_messages 50", "listener 1883", "connection b",
                "address h:1883", "topic # both 1 a/ b/", "restart_timeout 5 10");
        synchronizer.apply(plan);
        int updates = admin.updates;
        SyncResult again = synchronizer.apply(plan("max_queued_messages 50", "listener 1883", "connection b",
                "address h:1883", "topic # both 1 a/ b/", "restart_timeout 5 10"));
        assertFalse(again.changedAnything());
        assertEquals(3, again.unchanged());
        assertEquals(updates, admin.updates, "no configuration may be updated, arrays included");
    }

    @Test
    void onlyTheChangedConfigurationIsUpdatedAndListenersKeepTheirPids() throws IOException {
        synchronizer.apply(plan("listener 1883", "listener 8883", "max_connections 10"));
        String plain = listenerPid("*:1883");
        String tls = listenerPid("*:8883");
        long plainChanges = admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, "*:1883").getChangeCount();

        SyncResult result = synchronizer.apply(plan("listener 1883", "listener 8883", "max_connections 20"));

        assertEquals(List.of("io.culex.core.listener[*:8883]"), result.updated());
        assertEquals(List.of(), result.created());
        assertEquals(List.of(), result.deleted());
        assertEquals(plain, listenerPid("*:1883"));
        assertEquals(tls, listenerPid("*:8883"));
        assertEquals(plainChanges,
                admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, "*:1883").getChangeCount());
        assertEquals(20, admin.properties(tls).get("max_connections"));
    }

    @Test
    void removedListenersAreDeletedAndNewOnesCreated() throws IOException {
        synchronizer.apply(plan("listener 1883", "listener 8883"));
        SyncResult result = synchronizer.apply(plan("listener 1883", "listener 9001", "protocol websockets"));
        assertEquals(List.of("io.culex.core.listener[*:9001]"), result.created());
        assertEquals(List.of("io.culex.core.listener[*:8883]"), result.deleted());
        assertNull(admin.factoryConfiguration(LISTENER_FACTORY_PID, LISTENER_KEY, "*:8883"));
    }

    @Test
    void switchingToLocalOnlyModeReplacesTheListeners() throws IOException {
        synchronizer.apply(plan("listener 1883"));
        SyncResult result = synchronizer.apply(plan("# no listener any more"));
        assertEquals(List.of("io.culex.core.listener[*:1883]"), result.deleted());
        assertEquals(List.of("io.culex.core.listener[127.0.0.1:1883]", "io.culex.core.listener[[::1]:1883]"),
                result.created());
        assertEquals(List.of("io.culex.core.broker"), result.updated());
        assertEquals(true, admin.properties("io.culex.core.broker").get("local_only"));
    }

    @Test
    void configurationsOfAnEarlierRunThatTheFileNoLongerDefinesAreDeleted() throws IOException {
        admin.put("io.culex.acl.file", null, Map.of("acl_file", "/old", "culex.origin", "culex.conf"));
        admin.put("io.culex.core.listener.old", LISTENER_FACTORY_PID,
                Map.of("port", 9999, LISTENER_KEY, "*:9999", "culex.origin", "culex.conf"));
        admin.put("io.culex.bridge.old", "io.culex.bridge",
                Map.of("connection", "gone", "culex.bridge.key", "gone", "culex.origin", "culex.conf"));

        SyncResult result = synchronizer.apply(plan("listener 1883"));

        assertEquals(Set.of("io.culex.acl.file", "io.culex.core.listener[*:9999]", "io.culex.bridge.old"),
                Set.copyOf(result.deleted()));
        assertEquals(Set.of("io.culex.core.broker", listenerPid("*:1883")), admin.pids());
    }

    @Test
    void theDynsecConfigurationFollowsTheFileOnReload() throws IOException {
        String plugin = "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
        SyncResult first = synchronizer.apply(plan("listener 1883", plugin, "plugin_opt_config_file /a.json"));
        assertTrue(first.created().contains("io.culex.dynsec"), first.created().toString());
        assertEquals("/a.json", admin.properties("io.culex.dynsec").get("config_file"));

        SyncResult changed = synchronizer.apply(plan("listener 1883", plugin, "plugin_opt_config_file /b.json"));
        assertEquals(List.of("io.culex.dynsec"), changed.updated());
        assertEquals("/b.json", admin.properties("io.culex.dynsec").get("config_file"));

        SyncResult removed = synchronizer.apply(plan("listener 1883"));
        assertEquals(List.of("io.culex.dynsec"), removed.deleted());
        assertNull(admin.properties("io.culex.dynsec"));
        assertEquals(List.of("io.culex.core.broker"), removed.updated());
        assertNull(admin.properties("io.culex.core.broker").get("required_providers"));
    }

    @Test
    void configurationsMadeByOtherMeansAreLeftAlone() throws IOException {
        admin.put("io.culex.acl.file", null, Map.of("acl_file", "/from/the/web/console"));
        admin.put("io.culex.core.listener.console", LISTENER_FACTORY_PID, Map.of("port", 1999));
        synchronizer.apply(plan("listener 1883"));
        assertEquals("/from/the/web/console", admin.properties("io.culex.acl.file").get("acl_file"));
        assertNotNull(admin.properties("io.culex.core.listener.console"));
        assertEquals(2, synchronizer.removeAll());
        assertEquals(Set.of("io.culex.acl.file", "io.culex.core.listener.console"), admin.pids());
    }

    @Test
    void theFileWinsOverASingletonMadeByOtherMeans() throws IOException {
        admin.put("io.culex.auth.file", null, Map.of("password_file", "/console"));
        SyncResult result = synchronizer.apply(plan("password_file /file"));
        assertEquals(List.of("io.culex.auth.file"), result.updated());
        assertEquals(Map.of("password_file", "/file", "culex.origin", "culex.conf", "service.pid",
                "io.culex.auth.file"), admin.properties("io.culex.auth.file"));
    }

    @Test
    void aDuplicateLeftOverForTheSameListenerIsDeleted() throws IOException {
        synchronizer.apply(plan("listener 1883"));
        admin.put("io.culex.core.listener.copy", LISTENER_FACTORY_PID,
                Map.of("port", 1883, "protocol", "mqtt", LISTENER_KEY, "*:1883", "culex.origin", "culex.conf"));
        synchronizer.apply(plan("listener 1883"));
        assertEquals(1, admin.factoryConfigurations(LISTENER_FACTORY_PID).size());
    }

    @Test
    void propertiesCompareByContent() {
        Hashtable<String, Object> existing = new Hashtable<>();
        existing.put("service.pid", "x");
        existing.put("topic", new String[] {"a", "b"});
        assertTrue(ConfigAdminSynchronizer.sameProperties(existing, Map.of("topic", new String[] {"a", "b"})));
        assertFalse(ConfigAdminSynchronizer.sameProperties(existing, Map.of("topic", new String[] {"a"})));
        assertFalse(ConfigAdminSynchronizer.sameProperties(existing, Map.of("topic", new String[] {"a", "b"},
                "extra", 1)));
        existing.put("port", 1883);
        assertFalse(ConfigAdminSynchronizer.sameProperties(existing, Map.of("topic", new String[] {"a", "b"},
                "port", 1883L)), "an Integer is not a Long");
    }
}
