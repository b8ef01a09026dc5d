package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.BRIDGE_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.BROKER_PID;
import static io.culex.config.internal.ConfigContract.LISTENER_FACTORY_PID;
import static io.culex.config.internal.ConfigContract.PLUGIN_FACTORY_PID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationPlannerTest {

    @TempDir
    Path dir;

    private ParsedConfig parse(String... lines) {
        return new ConfParser().parse(ConfFiles.write(dir.resolve("culex.conf"), lines)).config().orElseThrow();
    }

    private static List<PlannedConfiguration> listeners(List<PlannedConfiguration> plan) {
        return plan.stream().filter(p -> LISTENER_FACTORY_PID.equals(p.factoryPid())).toList();
    }

    /** The broker's properties without {@code culex.listener_keys}, which {@link #listenerKeys} checks. */
    private static Map<String, Object> withoutListenerKeys(PlannedConfiguration broker) {
        Map<String, Object> properties = new java.util.HashMap<>(broker.properties());
        properties.remove(ConfigContract.LISTENER_KEYS);
        return properties;
    }

    /** The core accepts only once every listener named here is bound. */
    private static List<String> listenerKeys(List<PlannedConfiguration> plan) {
        return List.of((String[]) plan.get(0).properties().get(ConfigContract.LISTENER_KEYS));
    }

    @Test
    void withoutListenersMosquittoListensOnLoopbackOnly() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(ParsedConfig.empty(), List.of());
        assertEquals(Map.of("local_only", true, "culex.origin", "culex.conf"), withoutListenerKeys(plan.get(0)));
        assertEquals(List.of("127.0.0.1:1883", "[::1]:1883"), listenerKeys(plan));
        assertEquals(BROKER_PID, plan.get(0).pid());
        assertEquals(List.of(
                Map.of("port", 1883, "bind_address", "127.0.0.1", "protocol", "mqtt",
                        "culex.listener.key", "127.0.0.1:1883", "culex.source", "local only mode",
                        "culex.origin", "culex.conf"),
                Map.of("port", 1883, "bind_address", "::1", "protocol", "mqtt",
                        "culex.listener.key", "[::1]:1883", "culex.source", "local only mode",
                        "culex.origin", "culex.conf")),
                listeners(plan).stream().map(PlannedConfiguration::properties).toList());
    }

    @Test
    void commandLinePortsReplace1883InLocalOnlyMode() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(parse("allow_anonymous false"), List.of(1884, 1885));
        assertEquals(List.of("127.0.0.1:1884", "[::1]:1884", "127.0.0.1:1885", "[::1]:1885"),
                listeners(plan).stream().map(PlannedConfiguration::key).toList());
        assertEquals(Map.of("allow_anonymous", false, "local_only", true, "culex.origin", "culex.conf"),
                withoutListenerKeys(plan.get(0)));
        assertEquals(listeners(plan).stream().map(PlannedConfiguration::key).toList(), listenerKeys(plan));
    }

    @Test
    void passwordAndAclFilesBecomeRequiredProviders() {
        assertEquals(List.of("password_file", "acl_file"), List.of((String[]) ConfigurationPlanner
                .plan(parse("listener 1883", "acl_file /a", "password_file /p"), List.of()).get(0).properties()
                .get("required_providers")));
        assertEquals(List.of("acl_file"), List.of((String[]) ConfigurationPlanner
                .plan(parse("listener 1883", "acl_file /a"), List.of()).get(0).properties()
                .get("required_providers")));
        assertEquals(List.of("password_file"), List.of((String[]) ConfigurationPlanner
                .plan(parse("per_listener_settings true", "listener 1883", "password_file /p"), List.of()).get(0)
                .properties().get("required_providers")));
        assertEquals(null, ConfigurationPlanner.plan(parse("listener 1883"), List.of()).get(0).properties()
                .get("required_providers"), "absent when the file names no provider");
    }

    @Test
    void eachRequiredProviderIsNamedInItsRole() {
        Map<String, Object> both = ConfigurationPlanner.plan(parse("listener 1883", "acl_file /a",
                "password_file /p"), List.of()).get(0).properties();
        assertEquals(List.of("password_file"), List.of((String[]) both.get("required_authenticators")),
                "a missing password file refuses new clients, it does not deny the connected ones");
        assertEquals(List.of("acl_file"), List.of((String[]) both.get("required_authorizers")));
        Map<String, Object> passwordsOnly = ConfigurationPlanner.plan(parse("listener 1883", "password_file /p"),
                List.of()).get(0).properties();
        assertEquals(null, passwordsOnly.get("required_authorizers"));
        Map<String, Object> dynsec = ConfigurationPlanner.plan(parse("listener 1883",
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json"), List.of()).get(0).properties();
        assertEquals(List.of("dynamic-security"), List.of((String[]) dynsec.get("required_authenticators")),
                "dynamic security does both");
        assertEquals(List.of("dynamic-security"), List.of((String[]) dynsec.get("required_authorizers")));
        assertEquals(null, ConfigurationPlanner.plan(parse("listener 1883"), List.of()).get(0).properties()
                .get("required_authenticators"));
    }

    @Test
    void theDynamicSecurityPluginIsARequiredProviderOnlyWithAConfigFile() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(parse("listener 1883", "password_file /p",
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json"), List.of());
        assertEquals(List.of("password_file", "dynamic-security"),
                List.of((String[]) plan.get(0).properties().get("required_providers")));
        PlannedConfiguration dynsec = plan.stream().filter(p -> ConfigContract.DYNSEC_PID.equals(p.pid()))
                .findFirst().orElseThrow();
        assertEquals(Map.of("plugin", "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "config_file", "/var/lib/mosquitto/dynamic-security.json", "culex.origin", "culex.conf"),
                dynsec.properties());
        assertEquals(List.of(), plan.stream().filter(p -> PLUGIN_FACTORY_PID.equals(p.factoryPid())).toList(),
                "no io.culex.plugins configuration for it");

        List<PlannedConfiguration> inactive = ConfigurationPlanner.plan(parse("listener 1883",
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so", "plugin_opt_other x"), List.of());
        assertEquals(null, inactive.get(0).properties().get("required_providers"),
                "without config_file Mosquitto leaves the plugin inactive: nothing to wait for");
        assertEquals(Map.of("plugin", "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_other", "x", "culex.origin", "culex.conf"),
                inactive.stream().filter(p -> ConfigContract.DYNSEC_PID.equals(p.pid())).findFirst().orElseThrow()
                        .properties());
    }

    @Test
    void commandLinePortsAreIgnoredWhenTheFileDefinesListeners() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(parse("listener 8883"), List.of(1884));
        assertEquals(List.of("*:8883"), listeners(plan).stream().map(PlannedConfiguration::key).toList());
        assertEquals(false, plan.get(0).properties().get("local_only"));
    }

    @Test
    void listenerPropertiesWithIdentitySourceAndOrigin() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(
                parse("# listeners", "listener 8883 192.0.2.1", "max_connections 10"), List.of());
        PlannedConfiguration listener = listeners(plan).get(0);
        assertEquals("culex.listener.key", listener.keyProperty());
        assertEquals(Map.of("port", 8883, "bind_address", "192.0.2.1", "protocol", "mqtt", "max_connections", 10,
                "culex.listener.key", "192.0.2.1:8883", "culex.source", dir.resolve("culex.conf") + ":2",
                "culex.origin", "culex.conf"), listener.properties());
    }

    @Test
    void ownersBridgesAndPlugins() {
        List<PlannedConfiguration> plan = ConfigurationPlanner.plan(parse(
                "password_file /etc/pw",
                "plugin /dynsec.jar",
                "plugin_opt_config_file /var/dynsec.json",
                "listener 1883",
                "connection up",
                "address upstream:1883",
                "topic # both"), List.of());
        assertEquals(List.of(BROKER_PID, ConfigContract.AUTH_FILE_PID, "io.culex.core.listener[*:1883]",
                "io.culex.bridge[up]", "io.culex.plugins[/dynsec.jar]"),
                plan.stream().map(PlannedConfiguration::describe).toList());
        assertEquals(Map.of("password_file", "/etc/pw", "culex.origin", "culex.conf"), plan.get(1).properties());
        PlannedConfiguration bridge = plan.get(3);
        assertEquals(BRIDGE_FACTORY_PID, bridge.factoryPid());
        assertEquals("culex.bridge.key", bridge.keyProperty());
        assertEquals("up", bridge.properties().get("connection"));
        assertEquals(dir.resolve("culex.conf") + ":5", bridge.properties().get("culex.source"));
        PlannedConfiguration plugin = plan.get(4);
        assertEquals(PLUGIN_FACTORY_PID, plugin.factoryPid());
        assertEquals(Map.of("plugin", "/dynsec.jar", "plugin_type", "plugin",
                "plugin_opt_config_file", "/var/dynsec.json", "culex.plugin.key", "/dynsec.jar",
                "culex.plugin.order", 0, "culex.source", dir.resolve("culex.conf") + ":2",
                "culex.origin", "culex.conf"), plugin.properties());
    }

    private static List<String> bootFeatures(List<PlannedConfiguration> plan) {
        return plan.stream().filter(p -> ConfigContract.FEATURES_PID.equals(p.pid()))
                .map(p -> List.of((String[]) p.properties().get("features"))).findFirst().orElse(List.of());
    }

    @Test
    void theCommandLinesFeaturesJoinThoseOfTheFile() {
        assertEquals(List.of("shell"), bootFeatures(ConfigurationPlanner.plan(parse("listener 1883"), List.of(),
                List.of("shell"))));
        assertEquals(List.of("security", "shell"), bootFeatures(ConfigurationPlanner.plan(
                parse("listener 1883", "features security,shell"), List.of(), List.of("shell"))));
        assertEquals(List.of(), bootFeatures(ConfigurationPlanner.plan(parse("listener 1883"), List.of())));
    }
}
