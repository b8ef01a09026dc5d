package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster_*} options: what they become in Config Admin, the feature they add, the lines refused. */
class ClusterOptionsTest {

    @TempDir
    Path dir;

    private final ConfParser parser = new ConfParser();

    private ParsedConfig parse(String... lines) {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), lines));
        outcome.error().ifPresent(e -> {
            throw new AssertionError("unexpected error: " + e.reportLines());
        });
        return outcome.config().orElseThrow();
    }

    private List<String> errorOf(String... lines) {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), lines));
        assertFalse(outcome.succeeded(), "the file was accepted");
        return outcome.error().orElseThrow().reportLines();
    }

    private String foundAt(int line) {
        return "Error found at " + dir.resolve("culex.conf") + ":" + line + ".";
    }

    @Test
    void theOptionsBecomeTheClusterBundlesConfigurationAndAddItsFeature() {
        ParsedConfig config = parse("listener 1883", "cluster_name prod", "cluster_listener 5801 10.0.0.5",
                "cluster_member 10.0.0.6:5801", "cluster_member node-c.example:5801", "cluster_backup_count 2");
        Map<String, Object> cluster = config.owners().get(ConfigContract.CLUSTER_PID);
        assertEquals("prod", cluster.get(ClusterOptions.NAME));
        assertEquals(5801, cluster.get(ClusterOptions.PORT));
        assertEquals("10.0.0.5", cluster.get(ClusterOptions.BIND_ADDRESS));
        assertArrayEquals(new String[] {"10.0.0.6:5801", "node-c.example:5801"},
                (String[]) cluster.get(ClusterOptions.MEMBERS));
        assertEquals(2, cluster.get(ClusterOptions.BACKUP_COUNT));
        assertEquals(List.of("cluster"), bootFeatures(ConfigurationPlanner.plan(config, List.of())));
    }

    @Test
    void theBindAddressIsLeftToTheBundlesDefaultWhenNotGiven() {
        Map<String, Object> cluster = parse("cluster_listener 5701").owners().get(ConfigContract.CLUSTER_PID);
        assertEquals(5701, cluster.get(ClusterOptions.PORT));
        assertNull(cluster.get(ClusterOptions.BIND_ADDRESS));
    }

    @Test
    void withoutClusterOptionsThereIsNoClusterConfiguration() {
        ParsedConfig config = parse("listener 1883");
        assertNull(config.owners().get(ConfigContract.CLUSTER_PID));
        assertEquals(List.of(), bootFeatures(ConfigurationPlanner.plan(config, List.of())));
    }

    @Test
    void badClusterLinesNameFileAndLine() {
        assertEquals(List.of("Error: Invalid cluster_listener port value (0).", foundAt(1)),
                errorOf("cluster_listener 0"));
        assertEquals(List.of("Error: Too many arguments to cluster_listener: use cluster_listener <port> "
                + "[<bind address>].", foundAt(1)), errorOf("cluster_listener 5701 127.0.0.1 x"));
        assertEquals(List.of("Error: Duplicate cluster_listener value in configuration.", foundAt(2)),
                errorOf("cluster_listener 5701", "cluster_listener 5702"));
        assertEquals(List.of("Error: Invalid cluster_member value (node-b): use <host>:<port>.", foundAt(1)),
                errorOf("cluster_member node-b"));
        assertEquals(List.of("Error: Invalid cluster_member value (node-b:99999): use <host>:<port>.",
                foundAt(1)), errorOf("cluster_member node-b:99999"));
        assertEquals(List.of("Error: Invalid cluster_backup_count value (7): use 0 to 6.", foundAt(1)),
                errorOf("cluster_backup_count 7"));
        assertEquals(List.of("Error: Duplicate cluster_name value in configuration.", foundAt(2)),
                errorOf("cluster_name a", "cluster_name b"));
        assertEquals(List.of("Error: Empty cluster_name value in configuration.", foundAt(1)),
                errorOf("cluster_name"));
    }

    private static List<String> bootFeatures(List<PlannedConfiguration> plan) {
        return plan.stream().filter(p -> ConfigContract.FEATURES_PID.equals(p.pid()))
                .map(p -> List.of((String[]) p.properties().get("features"))).findFirst().orElse(List.of());
    }
}
