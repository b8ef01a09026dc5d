package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.BROKER_PID;

/** The broker-wide options of Mosquitto's "General options", which the core reads from {@code io.culex.core.broker}. */
final class GeneralOptions {

    /** MQTT's largest payload, the limit Mosquitto puts on message_size_limit. */
    private static final long MQTT_MAX_PAYLOAD = 268_435_455L;

    private GeneralOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("features", (state, line) -> {
            // Culex's own option: the features (features/*.xml) to install at boot, comma or blank separated
            String value = Values.string(line, "features", state.owner(ConfigContract.FEATURES_PID).get("features"));
            String[] names = java.util.Arrays.stream(value.split("[,\\s]+"))
                    .filter(name -> !name.isEmpty()).distinct().toArray(String[]::new);
            state.owner(ConfigContract.FEATURES_PID).put("features", names);
        });
        registry.add("allow_anonymous", (state, line) -> {
            boolean value = Values.bool(line, "allow_anonymous");
            state.securityTarget(line, BROKER_PID, false).put("allow_anonymous", value);
        });
        registry.add("allow_zero_length_clientid", (state, line) -> {
            boolean value = Values.bool(line, "allow_zero_length_clientid");
            state.securityTarget(line, BROKER_PID, !value).put("allow_zero_length_clientid", value);
        });
        registry.add("auto_id_prefix", (state, line) ->
                state.securityTarget(line, BROKER_PID, false).putString("auto_id_prefix", line));

        brokerBoolean(registry, "check_retain_source");
        brokerBoolean(registry, "queue_qos0_messages");
        brokerBoolean(registry, "retain_available");
        brokerBoolean(registry, "set_tcp_nodelay");
        brokerBoolean(registry, "upgrade_outgoing_qos");
        registry.add("connection_messages", (state, line) -> {
            boolean value = Values.bool(line, "connection_messages");
            state.broker().put("connection_messages", value);
            state.logging().connectionMessages(value);
        });

        registry.add("max_inflight_messages", (state, line) -> {
            int value = Values.integer(line, "max_inflight_messages");
            if (value > 65535) {
                throw new ConfigException("Error: max_inflight_messages must be <= 65535.");
            }
            // Mosquitto stores "no maximum" (negative, or 65535) as 0
            state.broker().put("max_inflight_messages", value < 0 || value == 65535 ? 0 : value);
        });
        registry.add("max_inflight_bytes", (state, line) ->
                state.broker().put("max_inflight_bytes", Math.max(0L, Values.longInteger(line, "max_inflight_bytes"))));
        registry.add("max_queued_messages", (state, line) ->
                state.broker().put("max_queued_messages", Math.max(0, Values.integer(line, "max_queued_messages"))));
        registry.add("max_queued_bytes", (state, line) ->
                state.broker().put("max_queued_bytes", Math.max(0L, Values.longInteger(line, "max_queued_bytes"))));
        registry.add("max_keepalive", (state, line) -> {
            int value = Values.integer(line, "max_keepalive");
            if (value < 10 || value > 65535) {
                throw new ConfigException("Error: Invalid max_keepalive value (" + value + ").");
            }
            state.broker().put("max_keepalive", value);
        });
        registry.add("max_packet_size", (state, line) -> {
            int value = Values.integer(line, "max_packet_size");
            if (value < 20) {
                throw new ConfigException("Error: Invalid max_packet_size value (" + value + ").");
            }
            state.broker().put("max_packet_size", value);
        });
        registry.add("message_size_limit", (state, line) -> {
            state.report(Diagnostic.notice("Note: It is recommended to replace `message_size_limit` with `max_packet_size`."));
            long value = Values.longInteger(line, "message_size_limit");
            if (value < 0 || value > MQTT_MAX_PAYLOAD) {
                // Mosquitto reads it as unsigned, so -1 is reported as 4294967295
                long shown = value < 0 ? Integer.toUnsignedLong((int) value) : value;
                throw new ConfigException("Error: Invalid message_size_limit value (" + shown + ").");
            }
            state.broker().put("message_size_limit", (int) value);
        });
        registry.add("sys_interval", (state, line) -> {
            int value = Values.integer(line, "sys_interval");
            if (value < 0 || value > 65535) {
                throw new ConfigException("Error: Invalid sys_interval value (" + value + ").");
            }
            // the $SYS bundle's own configuration: the core has nothing to do with it
            state.owner(ConfigContract.SYS_PID).put("sys_interval", value);
        });
        registry.add("persistent_client_expiration", (state, line) ->
                state.broker().put("persistent_client_expiration",
                        Durations.seconds(Values.token(line, "persistent_client_expiration"))));

        registry.add("allow_duplicate_messages", (state, line) -> {
            state.report(Diagnostic.notice("The 'allow_duplicate_messages' option is now deprecated and will be "
                    + "removed in a future version. The behaviour will default to true."));
            Values.bool(line, "allow_duplicate_messages");
        });
        registry.add("clientid_prefixes", (state, line) -> {
            state.report(Diagnostic.notice(
                    "The 'clientid_prefixes' option is now deprecated and will be removed in a future version."));
            state.broker().putString("clientid_prefixes", line);
            state.notYetSupported("clientid_prefixes", line);
        });
        registry.add("retry_interval", (state, line) ->
                state.report(Diagnostic.warning("Warning: The retry_interval option is no longer available.")));
        registry.add("memory_limit", (state, line) -> {
            long value = Values.longInteger(line, "memory_limit");
            if (value < 0) {
                throw new ConfigException("Error: Invalid memory_limit value (" + value + ").");
            }
            state.report(Diagnostic.notice("Note: memory_limit has no effect in Culex; limit the Java heap with "
                    + "-Xmx instead (" + line.location() + ")"));
        });
        registry.add("user", (state, line) -> {
            Values.string(line, "user", null);
            state.report(Diagnostic.notice("Note: user has no effect in Culex, which does not change user; "
                    + "start it as the intended user (" + line.location() + ")"));
        });
        registry.add("pid_file", (state, line) ->
                state.pidFile(Values.string(line, "pid_file", state.pidFile())));

        registry.add("websockets_log_level", (state, line) -> {
            state.broker().put("websockets_log_level", Values.integer(line, "websockets_log_level"));
            state.notYetSupported("websockets_log_level", line);
        });
        registry.add("websockets_headers_size", (state, line) -> {
            int value = Values.integer(line, "websockets_headers_size");
            if (value < 0 || value > 65535) {
                throw new ConfigException("Error: Websockets headers size must be between 0 and 65535 inclusive.");
            }
            state.broker().put("websockets_headers_size", value);
            state.notYetSupported("websockets_headers_size", line);
        });
    }

    private static void brokerBoolean(OptionRegistry registry, String name) {
        registry.add(name, (state, line) -> state.broker().put(name, Values.bool(line, name)));
    }
}
