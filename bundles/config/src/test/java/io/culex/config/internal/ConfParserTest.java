package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culex.config.internal.logging.LogDestination;
import io.culex.config.internal.logging.LogType;
import io.culex.config.internal.logging.LoggingSettings;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files Mosquitto 2.0 accepts, and what each option becomes. */
class ConfParserTest {

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

    private List<String> diagnostics(String... lines) {
        return parser.parse(ConfFiles.write(dir.resolve("culex.conf"), lines)).diagnostics().stream()
                .map(Diagnostic::message).toList();
    }

    private String at(int line) {
        return dir.resolve("culex.conf") + ":" + line;
    }

    private static Map<String, Object> listener(ParsedConfig config, String key) {
        return config.listeners().stream().filter(l -> l.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no listener " + key + " in " + config.listeners()))
                .properties();
    }

    @Test
    void emptyFileIsLocalOnlyWithMosquittoDefaults() {
        ParsedConfig config = parse("# nothing but a comment", "", "   ");
        assertTrue(config.localOnly());
        assertEquals(Map.of(), config.broker());
        assertEquals(LoggingSettings.defaults(), config.logging());
        assertEquals(Optional.empty(), config.pidFile());
    }

    @Test
    void everyBrokerOptionBecomesABrokerProperty() {
        ParsedConfig config = parse(
                "allow_anonymous false",
                "allow_zero_length_clientid false",
                "auto_id_prefix cx-",
                "check_retain_source false",
                "connection_messages false",
                "max_inflight_messages 10",
                "max_inflight_bytes 1000",
                "max_queued_messages 200",
                "max_queued_bytes 100000",
                "max_keepalive 120",
                "max_packet_size 2000",
                "message_size_limit 500",
                "persistent_client_expiration 2w",
                "queue_qos0_messages true",
                "retain_available false",
                "set_tcp_nodelay true",
                "upgrade_outgoing_qos true",
                "listener 1883");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("allow_anonymous", false);
        expected.put("allow_zero_length_clientid", false);
        expected.put("auto_id_prefix", "cx-");
        expected.put("check_retain_source", false);
        expected.put("connection_messages", false);
        expected.put("max_inflight_messages", 10);
        expected.put("max_inflight_bytes", 1000L);
        expected.put("max_queued_messages", 200);
        expected.put("max_queued_bytes", 100000L);
        expected.put("max_keepalive", 120);
        expected.put("max_packet_size", 2000);
        expected.put("message_size_limit", 500);
        expected.put("persistent_client_expiration", 14 * 86400L);
        expected.put("queue_qos0_messages", true);
        expected.put("retain_available", false);
        expected.put("set_tcp_nodelay", true);
        expected.put("upgrade_outgoing_qos", true);
        assertEquals(expected, config.broker());
        assertFalse(config.logging().connectionMessages());
    }

    @Test
    void onlyTheOptionsTheFileSetsAreBrokerProperties() {
        assertEquals(Map.of("max_queued_messages", 5), parse("max_queued_messages 5", "listener 1883").broker());
    }

    @Test
    void booleansAcceptOneAndZeroAsMosquittoDoes() {
        ParsedConfig config = parse("retain_available 0", "queue_qos0_messages 1", "listener 1883");
        assertEquals(Map.of("retain_available", false, "queue_qos0_messages", true), config.broker());
    }

    @Test
    void mosquittoNormalisesSomeLimits() {
        assertEquals(0, parse("max_inflight_messages -5").broker().get("max_inflight_messages"));
        assertEquals(0, parse("max_inflight_messages 65535").broker().get("max_inflight_messages"));
        assertEquals(0, parse("max_queued_messages -1").broker().get("max_queued_messages"));
        assertEquals(0L, parse("max_queued_bytes -1").broker().get("max_queued_bytes"));
        assertEquals(268435455, parse("message_size_limit 268435455").broker().get("message_size_limit"));
        assertEquals(10, parse("max_keepalive 10").broker().get("max_keepalive"));
    }

    @Test
    void sysIntervalConfiguresTheSysBundleNotTheBroker() {
        ParsedConfig config = parse("sys_interval 5", "listener 1883");
        assertEquals(Map.of("sys_interval", 5), config.owners().get(ConfigContract.SYS_PID));
        assertFalse(config.broker().containsKey("sys_interval"));
        assertEquals(0, parse("sys_interval 0").owners().get(ConfigContract.SYS_PID).get("sys_interval"));
        assertEquals(65535, parse("sys_interval 65535").owners().get(ConfigContract.SYS_PID).get("sys_interval"));
        assertFalse(parse("listener 1883").owners().containsKey(ConfigContract.SYS_PID),
                "without the option the bundle keeps its default (10), as Mosquitto");
    }

    @Test
    void durationsUseMosquittoUnits() {
        assertEquals(3600L, parse("persistent_client_expiration 1h").broker().get("persistent_client_expiration"));
        assertEquals(86400L, parse("persistent_client_expiration 1d").broker().get("persistent_client_expiration"));
        assertEquals(604800L, parse("persistent_client_expiration 1w").broker().get("persistent_client_expiration"));
        assertEquals(2592000L, parse("persistent_client_expiration 1m").broker().get("persistent_client_expiration"));
        assertEquals(31536000L, parse("persistent_client_expiration 1y").broker().get("persistent_client_expiration"));
    }

    @Test
    void tokensAreSeparatedBySpacesOnlyAndStringsAreTheTrimmedRestOfTheLine() {
        ParsedConfig config = parse(
                "listener   1883  ",
                "mount_point   a/b c  ",
                "max_connections 10 # Mosquitto ignores what follows a number",
                "auto_id_prefix  x y\r");
        assertEquals("a/b c", listener(config, "*:1883").get("mount_point"));
        assertEquals(10, listener(config, "*:1883").get("max_connections"));
        assertEquals("x y", config.broker().get("auto_id_prefix"));
    }

    @Test
    void listenersWithTheirOptions() {
        ParsedConfig config = parse(
                "listener 1883",
                "max_connections 100",
                "protocol mqtt",
                "listener 8883 0.0.0.0",
                "cafile /etc/culex/ca.pem",
                "capath /etc/culex/ca.d",
                "certfile /etc/culex/cert.pem",
                "keyfile /etc/culex/key.pem",
                "ciphers ECDHE-RSA-AES256-GCM-SHA384",
                "ciphers_tls1.3 TLS_AES_256_GCM_SHA384",
                "crlfile /etc/culex/crl.pem",
                "dhparamfile /etc/culex/dh.pem",
                "require_certificate true",
                "use_identity_as_username true",
                "use_subject_as_username false",
                "tls_version tlsv1.2",
                "max_qos 1",
                "max_topic_alias 20",
                "use_username_as_clientid true",
                "listener 9001 ::1",
                "protocol websockets",
                "mount_point ws/",
                "socket_domain ipv6",
                "bind_interface lo",
                "max_connections -5",
                "listener 0 /run/culex.sock");
        assertFalse(config.localOnly());
        assertEquals(List.of("*:1883", "0.0.0.0:8883", "[::1]:9001", "unix:/run/culex.sock"),
                config.listeners().stream().map(ListenerDefinition::key).toList());

        assertEquals(Map.of("port", 1883, "protocol", "mqtt", "max_connections", 100), listener(config, "*:1883"));
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("port", 8883);
        tls.put("bind_address", "0.0.0.0");
        tls.put("protocol", "mqtt");
        tls.put("cafile", "/etc/culex/ca.pem");
        tls.put("capath", "/etc/culex/ca.d");
        tls.put("certfile", "/etc/culex/cert.pem");
        tls.put("keyfile", "/etc/culex/key.pem");
        tls.put("ciphers", "ECDHE-RSA-AES256-GCM-SHA384");
        tls.put("ciphers_tls1.3", "TLS_AES_256_GCM_SHA384");
        tls.put("crlfile", "/etc/culex/crl.pem");
        tls.put("dhparamfile", "/etc/culex/dh.pem");
        tls.put("require_certificate", true);
        tls.put("use_identity_as_username", true);
        tls.put("use_subject_as_username", false);
        tls.put("tls_version", "tlsv1.2");
        tls.put("max_qos", 1);
        tls.put("max_topic_alias", 20);
        tls.put("use_username_as_clientid", true);
        assertEquals(tls, listener(config, "0.0.0.0:8883"));
        assertEquals(Map.of("port", 9001, "bind_address", "::1", "protocol", "websockets", "mount_point", "ws/",
                "socket_domain", "ipv6", "bind_interface", "lo", "max_connections", -1),
                listener(config, "[::1]:9001"));
        assertEquals(Map.of("port", 0, "unix_socket_path", "/run/culex.sock", "protocol", "mqtt"),
                listener(config, "unix:/run/culex.sock"));
        assertEquals(new SourceLocation(dir.resolve("culex.conf"), 4),
                config.listeners().get(1).source());
    }

    @Test
    void aTrailingCommentOnAListenerLineIsNotABindAddress() {
        assertEquals(List.of("*:1883"),
                parse("listener 1883 # the default").listeners().stream().map(ListenerDefinition::key).toList());
    }

    @Test
    void portAndBindAddressConfigureTheDefaultListener() {
        ParsedConfig config = parse("port 1884", "bind_address 127.0.0.1");
        assertFalse(config.localOnly());
        assertEquals(Map.of("port", 1884, "bind_address", "127.0.0.1", "protocol", "mqtt"),
                listener(config, "127.0.0.1:1884"));
        assertEquals(new SourceLocation(dir.resolve("culex.conf"), 1), config.listeners().get(0).source());
        assertEquals(List.of(
                "The 'port' option is now deprecated and will be removed in a future version. Please use 'listener' instead.",
                "The 'bind_address' option is now deprecated and will be removed in a future version. The behaviour will default to true."),
                diagnostics("port 1884", "bind_address 127.0.0.1"));
    }

    @Test
    void theLastPortWinsWithAWarning() {
        assertEquals(1885, listener(parse("port 1884", "port 1885"), "*:1885").get("port"));
        assertTrue(diagnostics("port 1884", "port 1885").contains(
                "Warning: Default listener port specified multiple times. Only the latest will be used."));
    }

    @Test
    void perListenerOptionsBeforeAnyListenerCreateTheDefaultListener() {
        ParsedConfig config = parse("max_connections 5", "cafile /ca.pem", "listener 8883");
        assertEquals(List.of("*:8883", "*:1883"), config.listeners().stream().map(ListenerDefinition::key).toList());
        assertEquals(Map.of("port", 1883, "protocol", "mqtt", "max_connections", 5, "cafile", "/ca.pem"),
                listener(config, "*:1883"));
        assertEquals(Map.of("port", 8883, "protocol", "mqtt"), listener(config, "*:8883"));
        assertEquals(new SourceLocation(dir.resolve("culex.conf"), 1), config.listeners().get(1).source());
    }

    @Test
    void perListenerOptionsWithTheirDefaultValueDoNotCreateTheDefaultListener() {
        ParsedConfig config = parse("protocol mqtt", "max_connections -1", "max_qos 2", "require_certificate false",
                "listener 8883");
        assertEquals(List.of("*:8883"), config.listeners().stream().map(ListenerDefinition::key).toList());
    }

    @Test
    void globalOptionsBeforeAListenerDoNotCreateTheDefaultListener() {
        ParsedConfig config = parse("allow_anonymous true", "password_file /etc/pw", "listener 1884");
        assertEquals(List.of("*:1884"), config.listeners().stream().map(ListenerDefinition::key).toList());
        assertEquals(Map.of("allow_anonymous", true), config.broker());
        assertEquals(Map.of("password_file", "/etc/pw"), config.owners().get(ConfigContract.AUTH_FILE_PID));
    }

    @Test
    void perListenerSettingsPutSecurityOptionsIntoTheListener() {
        ParsedConfig config = parse(
                "per_listener_settings true",
                "listener 1883",
                "allow_anonymous true",
                "listener 8883",
                "password_file /etc/pw",
                "acl_file /etc/acl",
                "psk_file /etc/psk",
                "allow_zero_length_clientid false",
                "auto_id_prefix l2-");
        assertEquals(Map.of("per_listener_settings", true), config.broker());
        assertEquals(true, listener(config, "*:1883").get("allow_anonymous"));
        Map<String, Object> secure = listener(config, "*:8883");
        assertEquals("/etc/pw", secure.get("password_file"));
        assertEquals("/etc/acl", secure.get("acl_file"));
        assertEquals("/etc/psk", secure.get("psk_file"));
        assertEquals(false, secure.get("allow_zero_length_clientid"));
        assertEquals("l2-", secure.get("auto_id_prefix"));
        assertFalse(config.owners().containsKey(ConfigContract.AUTH_FILE_PID));
    }

    @Test
    void perListenerAllowAnonymousBeforeAnyListenerDoesNotOpenTheDefaultListener() {
        // Mosquitto keeps it for a default listener that is never created; opening port 1883 would be a surprise
        ParsedConfig config = parse("per_listener_settings true", "allow_anonymous false", "listener 1884");
        assertEquals(List.of("*:1884"), config.listeners().stream().map(ListenerDefinition::key).toList());
    }

    @Test
    void notYetSupportedOptionsGoToTheirFutureOwnerWithAWarning() {
        ParsedConfig config = parse(
                "password_file /etc/culex/passwd",
                "acl_file /etc/culex/acl",
                "psk_file /etc/culex/psk",
                "persistence true",
                "persistence_file culex.db",
                "persistence_location /var/lib/culex/",
                "autosave_interval -5",
                "autosave_on_changes true",
                "clientid_prefixes secure-",
                "websockets_log_level 255",
                "websockets_headers_size 2048",
                "listener 1883",
                "http_dir /var/www",
                "psk_hint hint");
        assertEquals(Map.of("password_file", "/etc/culex/passwd"), config.owners().get(ConfigContract.AUTH_FILE_PID));
        assertEquals(Map.of("acl_file", "/etc/culex/acl"), config.owners().get(ConfigContract.ACL_FILE_PID));
        assertEquals(Map.of("psk_file", "/etc/culex/psk"), config.owners().get(ConfigContract.PSK_FILE_PID));
        assertEquals(Map.of("persistence", true, "persistence_file", "culex.db",
                "persistence_location", "/var/lib/culex/", "autosave_interval", 0, "autosave_on_changes", true),
                config.owners().get(ConfigContract.PERSISTENCE_PID));
        assertEquals("secure-", config.broker().get("clientid_prefixes"));
        assertEquals(255, config.broker().get("websockets_log_level"));
        assertEquals(2048, config.broker().get("websockets_headers_size"));
        assertEquals("/var/www", listener(config, "*:1883").get("http_dir"));
        assertEquals("hint", listener(config, "*:1883").get("psk_hint"));

    }

    @Test
    void persistenceConfiguresTheStoreAndHoldsTheListenersUntilItRestored() {
        ParsedConfig config = parse("listener 1883", "persistence true", "persistence_durability autosave");
        assertEquals(Map.of("persistence", true, "persistence_durability", "autosave"),
                config.owners().get(ConfigContract.PERSISTENCE_PID));
        assertEquals(true, config.broker().get("persistence"), "the broker waits for the store's restore");
        assertEquals(List.of(), diagnostics("listener 1883", "persistence true", "autosave_interval 60"));
    }

    @Test
    void retainedPersistenceIsAnAliasOfPersistence() {
        assertEquals(Map.of("persistence", false),
                parse("retained_persistence false").owners().get(ConfigContract.PERSISTENCE_PID));
    }

    @Test
    void pluginsKeepTheirOptionsAndOrder() {
        ParsedConfig config = parse(
                "plugin /usr/lib/mosquitto_dynamic_security.jar",
                "plugin_opt_config_file /var/lib/culex/dynamic-security.json",
                "auth_plugin /opt/auth.jar",
                "auth_opt_backends  mysql, files  ",
                "auth_plugin_deny_special_chars false",
                "plugin /usr/lib/mosquitto_dynamic_security.jar",
                "global_plugin io.culex.sample.audit");
        assertEquals(4, config.plugins().size());
        PluginDefinition dynsec = config.plugins().get(0);
        assertEquals("/usr/lib/mosquitto_dynamic_security.jar", dynsec.key());
        assertEquals(0, dynsec.order());
        assertEquals(Map.of("plugin", "/usr/lib/mosquitto_dynamic_security.jar", "plugin_type", "plugin",
                "plugin_opt_config_file", "/var/lib/culex/dynamic-security.json"), dynsec.properties());
        assertEquals(Map.of("plugin", "/opt/auth.jar", "plugin_type", "auth_plugin",
                "plugin_opt_backends", "mysql, files  ", "auth_plugin_deny_special_chars", false),
                config.plugins().get(1).properties());
        assertEquals("/usr/lib/mosquitto_dynamic_security.jar#2", config.plugins().get(2).key());
        assertEquals("global_plugin", config.plugins().get(3).properties().get("plugin_type"));
        assertEquals(3, config.plugins().get(3).order());
    }

    @Test
    void mosquittosDynamicSecurityPluginConfiguresTheDynsecBundle() {
        ParsedConfig config = parse(
                "listener 1883",
                "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json",
                "plugin_opt_other a value ",
                "auth_opt_legacy x",
                "plugin /opt/audit.jar",
                "plugin_opt_config_file /etc/audit.json");
        assertEquals(Map.of("plugin", "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "config_file", "/var/lib/mosquitto/dynamic-security.json",
                "plugin_opt_other", "a value ", "plugin_opt_legacy", "x"),
                config.owners().get(ConfigContract.DYNSEC_PID));
        // not an io.culex.plugins jar; the plugin after it gets its own options again
        assertEquals(1, config.plugins().size());
        assertEquals(Map.of("plugin", "/opt/audit.jar", "plugin_type", "plugin",
                "plugin_opt_config_file", "/etc/audit.json"), config.plugins().get(0).properties());
    }

    @Test
    void theDynamicSecurityConfigFileIsKeptAsWrittenEvenRelative() {
        ParsedConfig config = parse("auth_plugin mosquitto_dynamic_security.so",
                "auth_opt_config_file dynsec/../dynamic-security.json");
        assertEquals(Map.of("plugin", "mosquitto_dynamic_security.so",
                "config_file", "dynsec/../dynamic-security.json"), config.owners().get(ConfigContract.DYNSEC_PID));
        assertEquals(List.of(), config.plugins());
    }

    @Test
    void withoutConfigFileTheDynsecConfigurationHasOnlyThePlugin() {
        assertEquals(Map.of("plugin", "dynamic-security"),
                parse("plugin dynamic-security").owners().get(ConfigContract.DYNSEC_PID));
        assertEquals(null, parse("plugin /opt/x.jar").owners().get(ConfigContract.DYNSEC_PID));
    }

    @Test
    void theDynamicSecurityPluginIsRecognisedByItsFileNameInAnyDirectoryAndCase() {
        for (String path : List.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "/usr/local/lib/mosquitto_dynamic_security.so.1", "mosquitto_dynamic_security.so.2.0.11",
                "C:\\Program Files\\mosquitto\\MOSQUITTO_DYNAMIC_SECURITY.DLL",
                "/opt/homebrew/lib/mosquitto_dynamic_security.dylib", "dynamic-security", "io.culex.dynsec")) {
            ParsedConfig config = parse("plugin " + path);
            assertEquals(path, config.owners().get(ConfigContract.DYNSEC_PID).get("plugin"), path);
            assertEquals(List.of(), config.plugins(), path);
        }
        for (String path : List.of("/usr/lib/mosquitto_dynamic_security.jar", "Dynamic-Security",
                "/opt/dynamic-security", "io.culex.dynsec.jar")) {
            ParsedConfig config = parse("plugin " + path);
            assertEquals(null, config.owners().get(ConfigContract.DYNSEC_PID), path);
            assertEquals(path, config.plugins().get(0).properties().get("plugin"), path);
        }
    }

    @Test
    void aGlobalDynamicSecurityPluginIsAcceptedWithPerListenerSettings() {
        ParsedConfig config = parse("per_listener_settings true", "listener 1883",
                "global_plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                "plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json");
        assertEquals("/var/lib/mosquitto/dynamic-security.json",
                config.owners().get(ConfigContract.DYNSEC_PID).get("config_file"));
        assertEquals(false, listener(config, "*:1883").containsKey("plugin"));
    }

    @Test
    void theFirstDynamicSecurityConfigFileIsUsedAsByMosquitto() {
        String[] lines = {"plugin mosquitto_dynamic_security.so", "plugin_opt_config_file /first.json",
                "plugin_opt_CONFIG_FILE /second.json"};
        assertEquals("/first.json", parse(lines).owners().get(ConfigContract.DYNSEC_PID).get("config_file"));
        assertEquals(List.of("Warning: The dynamic security plugin has more than one plugin_opt_config_file; the "
                + "first (/first.json) is used, as in Mosquitto (" + at(3) + ")"), diagnostics(lines));
    }

    @Test
    void featuresAreAListOfNames() {
        assertArrayEquals(new String[] {"security", "sys", "bridge"},
                (String[]) parse("features security, sys bridge,security").owners().get(ConfigContract.FEATURES_PID)
                        .get("features"));
    }

    @Test
    void aPerListenerPluginNamesItsListener() {
        ParsedConfig config = parse("per_listener_settings true", "listener 8883", "plugin /a.jar", "plugin_opt_x y");
        PluginDefinition plugin = config.plugins().get(0);
        assertEquals("/a.jar@*:8883", plugin.key());
        assertEquals("*:8883", plugin.properties().get(ConfigContract.LISTENER_KEY));
    }

    @Test
    void bridgesWithAllTheirOptions() {
        ParsedConfig config = parse(
                "connection upstream",
                "address broker.example.com:8883 backup.example.com",
                "topic sensors/# out 1",
                "topic cmd/# IN 2 local/ remote/",
                "topic \"\" both 0 l/only r/only",
                "topic status",
                "topic a/b in 1 \"\" remote/",
                "cleansession true",
                "local_cleansession false",
                "clientid culex-bridge",
                "username bridge",
                "password secret",
                "local_clientid local.bridge",
                "local_username me",
                "local_password mine",
                "keepalive_interval 2",
                "idle_timeout 0",
                "threshold 20",
                "notifications false",
                "notifications_local_only true",
                "notification_topic $SYS/bridges/upstream",
                "restart_timeout 10 60",
                "round_robin true",
                "start_type lazy",
                "try_private false",
                "bridge_attempt_unsubscribe false",
                "bridge_bind_address 192.0.2.1",
                "bridge_max_packet_size -1",
                "bridge_outgoing_retain false",
                "bridge_protocol_version mqttv50",
                "bridge_cafile /etc/ca.pem",
                "bridge_certfile /etc/c.pem",
                "bridge_keyfile /etc/k.pem",
                "bridge_insecure false",
                "bridge_tls_version tlsv1.3",
                "bridge_alpn mqtt",
                "connection second",
                "addresses 10.0.0.1:1884",
                "topic # in",
                "restart_timeout 30");
        assertEquals(2, config.bridges().size());
        Map<String, Object> upstream = config.bridges().get(0).properties();
        assertEquals("upstream", upstream.get("connection"));
        assertArrayEquals(new String[] {"broker.example.com:8883", "backup.example.com:1883"},
                (String[]) upstream.get("address"));
        assertArrayEquals(new String[] {
                "sensors/# out 1 \"\" \"\"",
                "cmd/# in 2 local/ remote/",
                "\"\" both 0 l/only r/only",
                "status out 0 \"\" \"\"",
                "a/b in 1 \"\" remote/"}, (String[]) upstream.get("topic"));
        assertEquals(true, upstream.get("cleansession"));
        assertEquals(false, upstream.get("local_cleansession"));
        assertEquals("culex-bridge", upstream.get("remote_clientid"));
        assertEquals("bridge", upstream.get("remote_username"));
        assertEquals("secret", upstream.get("remote_password"));
        assertEquals("local.bridge", upstream.get("local_clientid"));
        assertEquals("me", upstream.get("local_username"));
        assertEquals("mine", upstream.get("local_password"));
        assertEquals(5, upstream.get("keepalive_interval"));
        assertEquals(1, upstream.get("idle_timeout"));
        assertEquals(20, upstream.get("threshold"));
        assertEquals(false, upstream.get("notifications"));
        assertEquals(true, upstream.get("notifications_local_only"));
        assertEquals("$SYS/bridges/upstream", upstream.get("notification_topic"));
        assertArrayEquals(new Integer[] {10, 60}, (Integer[]) upstream.get("restart_timeout"));
        assertEquals(true, upstream.get("round_robin"));
        assertEquals("lazy", upstream.get("start_type"));
        assertEquals(false, upstream.get("try_private"));
        assertEquals(false, upstream.get("bridge_attempt_unsubscribe"));
        assertEquals("192.0.2.1", upstream.get("bridge_bind_address"));
        assertEquals(0, upstream.get("bridge_max_packet_size"));
        assertEquals(false, upstream.get("bridge_outgoing_retain"));
        assertEquals("mqttv50", upstream.get("bridge_protocol_version"));
        assertEquals("/etc/ca.pem", upstream.get("bridge_cafile"));
        assertEquals("/etc/c.pem", upstream.get("bridge_certfile"));
        assertEquals("/etc/k.pem", upstream.get("bridge_keyfile"));
        assertEquals(false, upstream.get("bridge_insecure"));
        assertEquals("tlsv1.3", upstream.get("bridge_tls_version"));
        assertEquals("mqtt", upstream.get("bridge_alpn"));

        Map<String, Object> second = config.bridges().get(1).properties();
        assertArrayEquals(new String[] {"10.0.0.1:1884"}, (String[]) second.get("address"));
        assertArrayEquals(new String[] {"# in 0 \"\" \"\""}, (String[]) second.get("topic"));
        assertArrayEquals(new Integer[] {30}, (Integer[]) second.get("restart_timeout"));
    }

    @Test
    void bridgeCorrectionsAreNoted() {
        List<String> notes = diagnostics("connection b", "address h", "topic t", "keepalive_interval 1",
                "idle_timeout 0", "threshold 0", "restart_timeout 0", "bridge_cafile /ca.pem", "bridge_insecure true",
                "local_username me");
        assertTrue(notes.contains("keepalive interval too low, using 5 seconds."));
        assertTrue(notes.contains("idle_timeout interval too low, using 1 second."));
        assertTrue(notes.contains("threshold too low, using 1 message."));
        assertTrue(notes.contains("restart_timeout interval too low, using 1 second."));
        assertTrue(notes.contains("Warning: Bridge b using insecure mode."));
        assertTrue(notes.contains("Bridge b: local_username has no effect in Culex (the bridge's local side runs "
                + "inside the broker and is not authenticated) (" + at(10) + ")"), notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("not yet supported")), notes.toString());
    }

    @Test
    void loggingOptions() {
        LoggingSettings logging = parse(
                "log_dest stdout",
                "log_dest file /var/log/culex.log",
                "log_dest syslog",
                "log_type error",
                "log_type subscribe",
                "log_timestamp false",
                "log_timestamp_format %Y-%m-%dT%H:%M:%S",
                "log_facility 5").logging();
        assertEquals(EnumSet.of(LogDestination.STDOUT, LogDestination.FILE, LogDestination.SYSLOG),
                logging.destinations());
        assertEquals(Optional.of(Path.of("/var/log/culex.log")), logging.file());
        assertEquals(EnumSet.of(LogType.ERROR, LogType.SUBSCRIBE), logging.types());
        assertFalse(logging.timestamp());
        assertEquals(Optional.of("%Y-%m-%dT%H:%M:%S"), logging.timestampFormat());
        assertEquals(5, logging.syslogFacility());
    }

    @Test
    void noneResetsAndLaterLinesAddAgain() {
        LoggingSettings logging = parse("log_dest stdout", "log_dest none", "log_dest stderr",
                "log_type all", "log_type none", "log_type warning").logging();
        assertEquals(EnumSet.of(LogDestination.STDERR), logging.destinations());
        assertEquals(EnumSet.of(LogType.WARNING), logging.types());
        assertEquals(EnumSet.noneOf(LogDestination.class), parse("log_dest none").logging().destinations());
        assertEquals(EnumSet.allOf(LogType.class), parse("log_type all").logging().types());
    }

    @Test
    void logDestTopicIsKeptForTheSysBundle() {
        ParsedConfig config = parse("log_dest topic");
        assertEquals(Map.of("log_dest_topic", true), config.owners().get(ConfigContract.SYS_PID));
    }

    @Test
    void mosquittoOnlyOptionsAreAcceptedWithANote() {
        ParsedConfig config = parse("user mosquitto", "memory_limit 1000000", "retry_interval 20",
                "allow_duplicate_messages false", "log_dest dlt", "listener 1883", "tls_engine pkcs11",
                "tls_keyform engine", "tls_engine_kpass_sha1 abcd");
        assertEquals(Map.of(), config.broker());
        assertEquals(Map.of("port", 1883, "protocol", "mqtt"), listener(config, "*:1883"));
        List<String> notes = diagnostics("user mosquitto", "retry_interval 20", "allow_duplicate_messages false");
        assertTrue(notes.get(0).startsWith("Note: user has no effect in Culex"));
        assertEquals("Warning: The retry_interval option is no longer available.", notes.get(1));
        assertTrue(notes.get(2).startsWith("The 'allow_duplicate_messages' option is now deprecated"));
    }

    @Test
    void pidFile() {
        assertEquals(Optional.of(Path.of("/run/culex.pid")), parse("pid_file /run/culex.pid").pidFile());
    }

    @Test
    void includeDirFilesAreReadInlineInMosquittoOrder() {
        Path conf = dir.resolve("conf.d");
        ConfFiles.write(conf.resolve("b.conf"), "listener 1884");
        ConfFiles.write(conf.resolve("B.conf"), "listener 1883", "max_connections 7");
        ConfFiles.write(conf.resolve("a.conf"), "max_queued_messages 100", "include_dir /ignored/in/included/files");
        ConfFiles.write(conf.resolve("notes.txt"), "this is not a config file");
        ConfFiles.write(conf.resolve(".conf"), "neither is this");
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"),
                "max_queued_messages 5", "include_dir " + conf, "sys_interval 3"));
        ParsedConfig config = outcome.config().orElseThrow();
        assertEquals(List.of("*:1883", "*:1884"), config.listeners().stream().map(ListenerDefinition::key).toList());
        assertEquals(7, listener(config, "*:1883").get("max_connections"));
        assertEquals(100, config.broker().get("max_queued_messages"), "the included file comes after line 1");
        assertEquals(3, config.owners().get(ConfigContract.SYS_PID).get("sys_interval"));
        assertEquals(List.of(
                "Loading config file " + conf.resolve("a.conf"),
                "Loading config file " + conf.resolve("B.conf"),
                "Loading config file " + conf.resolve("b.conf")),
                outcome.diagnostics().stream().map(Diagnostic::message).toList());
        assertEquals(List.of(dir.resolve("culex.conf"), conf.resolve("a.conf"), conf.resolve("B.conf"),
                conf.resolve("b.conf")), outcome.sources().files());
        assertEquals(List.of(conf), outcome.sources().directories());
    }

    @Test
    void multipleIncludeDirsAreEachReadCompletelyInTurn() {
        ConfFiles.write(dir.resolve("one.d/B.conf"), "listener 2");
        ConfFiles.write(dir.resolve("one.d/C.conf"), "listener 3");
        ConfFiles.write(dir.resolve("two.d/A.conf"), "listener 1");
        ConfFiles.write(dir.resolve("two.d/D.conf"), "listener 4");
        ParsedConfig config = parse("include_dir " + dir.resolve("one.d"), "include_dir " + dir.resolve("two.d"));
        assertEquals(List.of("*:2", "*:3", "*:1", "*:4"),
                config.listeners().stream().map(ListenerDefinition::key).toList());
    }
}
