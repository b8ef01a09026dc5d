package io.culex.config.internal;

import java.util.List;

/**
 * Files that must be rejected, with the error in Mosquitto's words and the line it names. Those marked
 * {@code asMosquitto} were checked against mosquitto 2.0.11, which prints exactly these lines (see
 * {@link MosquittoCompatibilityTest}); the others are stricter than Mosquitto on purpose.
 */
final class BadConfigs {

    /** @param line the line named by "Error found at", or 0 when Mosquitto names none */
    record BadConfig(String message, int line, boolean asMosquitto, List<String> lines) {

        @Override
        public String toString() {
            return String.join(" | ", lines) + " -> " + message;
        }
    }

    private BadConfigs() {
    }

    private static BadConfig mosquitto(String message, int line, String... lines) {
        return new BadConfig(message, line, true, List.of(lines));
    }

    private static BadConfig culex(String message, int line, String... lines) {
        return new BadConfig(message, line, false, List.of(lines));
    }

    static final String BRIDGE = "connection b";
    static final String ADDRESS = "address 127.0.0.1:1";

    static List<BadConfig> all() {
        return List.of(
                mosquitto("Error: Unknown configuration variable \"foo\".", 1, "foo bar"),
                mosquitto("Error: Unknown configuration variable \"foo\".", 3, "# comment", "", "foo"),
                mosquitto("Error: Unknown configuration variable \"listener\t1883\".", 1, "listener\t1883"),
                mosquitto("Error: Unknown configuration variable \"#\".", 1, "  # not a comment: not in column 1"),
                mosquitto("Error: Unknown configuration variable \"\tlistener\".", 1, "\tlistener 1883"),
                mosquitto("Error: Unknown configuration variable \"global_plugin_x\".", 1, "global_plugin_x a"),

                mosquitto("Error: Invalid allow_anonymous value (yes).", 1, "allow_anonymous yes"),
                mosquitto("Error: Empty allow_anonymous value in configuration.", 1, "allow_anonymous"),
                mosquitto("Error: Invalid retain_available value (TRUE).", 1, "retain_available TRUE"),
                mosquitto("Error: max_inflight_messages must be <= 65535.", 1, "max_inflight_messages 65536"),
                mosquitto("Error: Invalid max_keepalive value (9).", 1, "max_keepalive 9"),
                mosquitto("Error: Invalid max_keepalive value (65536).", 1, "max_keepalive 65536"),
                mosquitto("Error: Invalid max_packet_size value (19).", 1, "max_packet_size 19"),
                mosquitto("Error: Invalid message_size_limit value (268435456).", 1, "message_size_limit 268435456"),
                mosquitto("Error: Invalid message_size_limit value (4294967295).", 1, "message_size_limit -1"),
                mosquitto("Error: Invalid sys_interval value (-1).", 1, "sys_interval -1"),
                mosquitto("Error: Invalid sys_interval value (65536).", 1, "sys_interval 65536"),
                mosquitto("Error: Invalid memory_limit value (-1).", 1, "memory_limit -1"),
                mosquitto("Error: Websockets headers size must be between 0 and 65535 inclusive.", 1,
                        "websockets_headers_size 70000"),
                culex("Error: Invalid max_inflight_messages value (abc).", 1, "max_inflight_messages abc"),
                culex("Error: Invalid max_queued_messages value (10k).", 1, "max_queued_messages 10k"),
                culex("Error: Empty max_connections value in configuration.", 1, "max_connections"),

                mosquitto("Error: Invalid persistent_client_expiration duration in configuration.", 1,
                        "persistent_client_expiration 2x"),
                mosquitto("Error: Invalid persistent_client_expiration duration in configuration.", 1,
                        "persistent_client_expiration 0d"),
                mosquitto("Error: Invalid persistent_client_expiration duration in configuration.", 1,
                        "persistent_client_expiration -1d"),
                mosquitto("Error: Invalid persistent_client_expiration duration in configuration.", 1,
                        "persistent_client_expiration 12"),
                mosquitto("Error: Invalid persistent_client_expiration duration in configuration.", 1,
                        "persistent_client_expiration abcd"),
                culex("Error: Empty persistent_client_expiration value in configuration.", 1,
                        "persistent_client_expiration"),

                mosquitto("Error: Empty listener value in configuration.", 1, "listener"),
                mosquitto("Error: A listener with port 0 must provide a Unix socket path.", 1, "listener 0"),
                mosquitto("Error: Invalid port value (70000).", 1, "listener 70000"),
                mosquitto("Error: Invalid port value (-1).", 1, "listener -1"),
                culex("Error: Invalid port value (abc).", 1, "listener abc"),
                mosquitto("Error: Invalid port value (0).", 1, "port 0"),
                mosquitto("Error: Duplicate default listener bind_address value in configuration.", 2,
                        "bind_address 127.0.0.1", "bind_address 127.0.0.1"),
                mosquitto("Error: You must use create a listener before using the mount_point option in the "
                        + "configuration file.", 1, "mount_point x/"),
                mosquitto("Error: Invalid mount_point 'a/#'. Does it contain a wildcard character?", 2,
                        "listener 18920", "mount_point a/#"),
                mosquitto("Error: max_qos must be between 0 and 2 inclusive.", 2, "listener 18920", "max_qos 3"),
                mosquitto("Error: Invalid max_topic_alias value in configuration.", 2, "listener 18920",
                        "max_topic_alias 70000"),
                mosquitto("Error: Empty max_topic_alias value in configuration.", 2, "listener 18920",
                        "max_topic_alias"),
                mosquitto("Error: Invalid socket_domain value \"foo\" in configuration.", 2, "listener 18920",
                        "socket_domain foo"),
                mosquitto("Error: Invalid protocol value (foo).", 2, "listener 18920", "protocol foo"),
                culex("Error: Empty protocol value in configuration.", 2, "listener 18920", "protocol"),
                mosquitto("Error: Duplicate cafile value in configuration.", 3, "listener 18920", "cafile a",
                        "cafile b"),
                mosquitto("Error: Duplicate http_dir value in configuration.", 3, "listener 18920", "http_dir /a",
                        "http_dir /b"),
                culex("Error: Listener *:1883 is already defined at %FILE%:1.", 2, "listener 1883", "listener 1883"),
                culex("Error: Listener *:1884 is already defined at %FILE%:1.", 2, "listener 1884", "port 1884"),

                mosquitto("Error: Duplicate password_file value in configuration.", 2, "password_file /a",
                        "password_file /b"),
                mosquitto("Error: Empty password_file value in configuration.", 1, "password_file   "),
                mosquitto("Error: Duplicate auto_id_prefix value in configuration.", 2, "auto_id_prefix a",
                        "auto_id_prefix b"),
                mosquitto("Error: Duplicate persistence_location value in configuration.", 2,
                        "persistence_location /a", "persistence_location /b"),
                culex("Error: Invalid persistence_durability value (sometimes): use acknowledged or autosave.", 1,
                        "persistence_durability sometimes"),
                mosquitto("Error: per_listener_settings must be set before any other security settings.", 2,
                        "allow_anonymous true", "per_listener_settings true"),
                mosquitto("Error: An auth_opt_ option exists in the config file without an auth_plugin.", 1,
                        "auth_opt_foo bar"),
                mosquitto("Error: An auth_opt_ option exists in the config file without an auth_plugin.", 1,
                        "plugin_opt_foo bar"),
                mosquitto("Error: Empty abc value in configuration.", 2, "plugin /x.jar", "plugin_opt_abc"),
                // Culex's own: Mosquitto fails later, when it loads the library
                culex("Error: Unable to load plugin \"/usr/lib/mosquitto_auth_plugin.so\": Culex plugins are "
                        + "OSGi bundle jars, not native Mosquitto plugins.", 1,
                        "plugin /usr/lib/mosquitto_auth_plugin.so"),
                // only the exact file name is the dynamic security plugin; other libraries stay an error
                culex("Error: Unable to load plugin \"/usr/lib/libmosquitto_dynamic_security.so\": Culex plugins "
                        + "are OSGi bundle jars, not native Mosquitto plugins.", 1,
                        "plugin /usr/lib/libmosquitto_dynamic_security.so"),
                culex("Error: Unable to load plugin \"/usr/lib/mosquitto_dynamic_security.so.bak\": Culex plugins "
                        + "are OSGi bundle jars, not native Mosquitto plugins.", 1,
                        "auth_plugin /usr/lib/mosquitto_dynamic_security.so.bak"),
                // Culex's own: Mosquitto would load the dynamic security plugin twice, or for one listener only
                culex("Error: The dynamic security plugin is configured twice (first at %FILE%:2).", 4,
                        "listener 1883",
                        "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                        "plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json",
                        "global_plugin dynamic-security"),
                culex("Error: The dynamic security plugin is configured twice (first at %FILE%:1).", 2,
                        "plugin dynamic-security", "auth_plugin /opt/MOSQUITTO_DYNAMIC_SECURITY.DLL"),
                culex("Error: The dynamic security plugin cannot be configured per listener (per_listener_settings "
                        + "true) in Culex.", 3, "per_listener_settings true", "listener 1883",
                        "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"),
                culex("Error: The dynamic security plugin cannot be configured per listener (per_listener_settings "
                        + "true) in Culex.", 2, "per_listener_settings true", "auth_plugin io.culex.dynsec"),
                mosquitto("Error: per_listener_settings must be set before any other security settings.", 2,
                        "plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so",
                        "per_listener_settings true"),
                mosquitto("Error: Invalid auth_opt_ config option.", 2, "plugin /x.jar", "plugin_opt_ value"),
                mosquitto("Error: Empty auth_plugin value in configuration.", 1, "plugin"),
                mosquitto("Error: An auth_plugin_deny_special_chars option exists in the config file without an "
                        + "auth_plugin.", 1, "auth_plugin_deny_special_chars false"),

                mosquitto("Error: Invalid log_type value (foo).", 1, "log_type foo"),
                culex("Error: Empty log_type value in configuration.", 1, "log_type"),
                mosquitto("Error: Invalid log_dest value (foo).", 1, "log_dest foo"),
                mosquitto("Error: Empty log_dest value in configuration.", 1, "log_dest"),
                mosquitto("Error: Empty \"log_dest file\" value in configuration.", 1, "log_dest file"),
                mosquitto("Error: Duplicate \"log_dest file\" value.", 3, "log_dest file /tmp/a.log",
                        "log_dest none", "log_dest file /tmp/b.log"),
                mosquitto("Error: Invalid log_facility value (8).", 1, "log_facility 8"),
                mosquitto("Error: Duplicate log_timestamp_format value in configuration.", 2,
                        "log_timestamp_format a", "log_timestamp_format b"),

                mosquitto("Error: Invalid bridge configuration.", 1, "address 1.2.3.4"),
                mosquitto("Error: Invalid bridge configuration.", 1, "topic a"),
                mosquitto("Error: Invalid bridge configuration.", 1, "cleansession true"),
                mosquitto("Error: Empty connection value in configuration.", 1, "connection"),
                mosquitto("Error: Duplicate bridge name \"b\".", 2, BRIDGE, BRIDGE),
                culex("Error: Invalid bridge configuration: no remote addresses defined.", 1, BRIDGE),
                culex("Error: Invalid bridge configuration: no topics defined.", 1, BRIDGE, ADDRESS),
                culex("Error: bridge_identity is not supported by Culex: Java's TLS has no pre-shared key cipher "
                        + "suites; use certificates (bridge_cafile).", 4, BRIDGE, ADDRESS, "topic a",
                        "bridge_identity me"),
                culex("Error: bridge_require_ocsp is not supported by Culex.", 4, BRIDGE, ADDRESS, "topic a",
                        "bridge_require_ocsp true"),
                culex("Error: Invalid bridge_tls_version value (sslv3).", 5, BRIDGE, ADDRESS, "topic a",
                        "bridge_cafile /ca.pem", "bridge_tls_version sslv3"),
                culex("Error: Invalid bridge configuration: bridge_certfile needs bridge_cafile or bridge_capath "
                        + "(TLS).", 1, BRIDGE, ADDRESS, "topic a", "bridge_certfile /c.pem", "bridge_keyfile /k.pem"),
                culex("Error: Invalid bridge configuration: bridge_certfile and bridge_keyfile go together.", 1,
                        BRIDGE, ADDRESS, "topic a", "bridge_cafile /ca.pem", "bridge_certfile /c.pem"),
                culex("Error: Unknown configuration variable \"bridge_reload_type\".", 4, BRIDGE, ADDRESS,
                        "topic a", "bridge_reload_type lazy"),
                mosquitto("Error: Invalid bridge configuration.", 3, BRIDGE, ADDRESS, "address 127.0.0.2"),
                mosquitto("Error: Empty address value in configuration.", 2, BRIDGE, "address"),
                mosquitto("Error: Invalid port value (70000).", 2, BRIDGE, "address 127.0.0.1:70000"),
                mosquitto("Error: Empty topic value in configuration.", 3, BRIDGE, ADDRESS, "topic"),
                mosquitto("Error: Invalid bridge topic direction 'sideways'.", 3, BRIDGE, ADDRESS,
                        "topic a sideways"),
                mosquitto("Error: Invalid bridge QoS level '3'.", 3, BRIDGE, ADDRESS, "topic a in 3"),
                culex("Error: Invalid bridge QoS level 'x'.", 3, BRIDGE, ADDRESS, "topic a in x"),
                mosquitto("Error: Invalid bridge remapping.", 3, BRIDGE, ADDRESS, "topic \"\" in 0 \"\" r/"),
                mosquitto("Error: Invalid bridge topic local prefix 'l/#'.", 3, BRIDGE, ADDRESS,
                        "topic a in 0 l/# r/"),
                mosquitto("Error: Invalid bridge topic remote prefix 'r/+'.", 3, BRIDGE, ADDRESS,
                        "topic a in 0 l/ r/+"),
                mosquitto("Error: Manual start_type not supported.", 4, BRIDGE, ADDRESS, "topic a",
                        "start_type manual"),
                mosquitto("Error: Invalid start_type value in configuration (sometimes).", 4, BRIDGE, ADDRESS,
                        "topic a", "start_type sometimes"),
                mosquitto("Error: backoff cap is lower than the base in restart_timeout.", 4, BRIDGE, ADDRESS,
                        "topic a", "restart_timeout 30 10"),
                mosquitto("Error: Invalid bridge_protocol_version value (mqttv5).", 4, BRIDGE, ADDRESS, "topic a",
                        "bridge_protocol_version mqttv5"),
                mosquitto("Error: Cannot use both certificate and psk encryption in a single bridge.", 5, BRIDGE,
                        ADDRESS, "topic a", "bridge_cafile /x", "bridge_psk 1234"),
                mosquitto("Error: Duplicate bridge remote_username value in configuration.", 5, BRIDGE, ADDRESS,
                        "topic a", "remote_username a", "username b"),
                mosquitto("Error: Duplicate bridge local clientd value in configuration.", 5, BRIDGE, ADDRESS,
                        "topic a", "local_clientid a", "local_clientid b"),
                mosquitto("Error: Duplicate bridge remote clientid value in configuration.", 5, BRIDGE, ADDRESS,
                        "topic a", "clientid a", "remote_clientid b"),
                mosquitto("Error: Duplicate bridge remote_password value in configuration.", 5, BRIDGE, ADDRESS,
                        "topic a", "password a", "password b"),

                mosquitto("Error: Empty include_dir value in configuration.", 1, "include_dir"),
                mosquitto("Error: Unable to open include_dir '/nonexistent/culex.d'.", 1,
                        "include_dir /nonexistent/culex.d"));
    }
}
