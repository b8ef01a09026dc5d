package io.culex.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bridges: a {@code connection} line starts one and the bridge options below it configure it, until the next
 * {@code connection}. Each bridge becomes one {@code io.culex.bridge} factory configuration for the bridge bundle,
 * with Mosquitto's option names and aliases resolved ({@code clientid} is stored as {@code remote_clientid},
 * {@code addresses} as {@code address}, ...). Options the bridge bundle cannot honour are errors naming the line:
 * TLS-PSK ({@code bridge_identity}/{@code bridge_psk}: Java's TLS has no PSK cipher suites) and
 * {@code bridge_require_ocsp}.
 */
final class BridgeOptions {

    private static final String CERT_AND_PSK = "Error: Cannot use both certificate and psk encryption in a single bridge.";
    private static final List<String> CERTIFICATE_OPTIONS =
            List.of("bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_keyfile");
    private static final String EMPTY_PREFIX = "\"\"";

    private BridgeOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("connection", (state, line) -> {
            String name = Values.token(line, "connection");
            state.startBridge(name, line.location());
        });
        registry.add("address", BridgeOptions::addresses);
        registry.add("addresses", BridgeOptions::addresses);
        registry.add("topic", BridgeOptions::topic);

        bridgeString(registry, "clientid", "remote_clientid", "bridge remote clientid");
        bridgeString(registry, "remote_clientid", "remote_clientid", "bridge remote clientid");
        bridgeString(registry, "username", "remote_username", "bridge remote_username");
        bridgeString(registry, "remote_username", "remote_username", "bridge remote_username");
        bridgeString(registry, "password", "remote_password", "bridge remote_password");
        bridgeString(registry, "remote_password", "remote_password", "bridge remote_password");
        bridgeString(registry, "local_clientid", "local_clientid", "bridge local clientd"); // sic: Mosquitto's text
        registry.add("local_username", (state, line) -> localCredential(state, line, "bridge local_username"));
        registry.add("local_password", (state, line) -> localCredential(state, line, "bridge local_password"));
        bridgeString(registry, "notification_topic", "notification_topic", "notification_topic");
        bridgeString(registry, "bridge_bind_address", "bridge_bind_address", "bridge_bind_address");
        bridgeString(registry, "bridge_alpn", "bridge_alpn", "bridge_alpn");
        registry.add("bridge_tls_version", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            bridge.properties().putString("bridge_tls_version", line);
            Object version = bridge.properties().get("bridge_tls_version");
            if (!List.of("tlsv1.3", "tlsv1.2", "tlsv1.1").contains(version)) {
                throw new ConfigException("Error: Invalid bridge_tls_version value (" + version + ").");
            }
        });

        bridgeBoolean(registry, "cleansession");
        bridgeBoolean(registry, "local_cleansession");
        bridgeBoolean(registry, "notifications");
        bridgeBoolean(registry, "notifications_local_only");
        bridgeBoolean(registry, "round_robin");
        bridgeBoolean(registry, "try_private");
        bridgeBoolean(registry, "bridge_attempt_unsubscribe");
        bridgeBoolean(registry, "bridge_outgoing_retain");
        registry.add("bridge_require_ocsp", (state, line) -> {
            state.currentBridge();
            throw new ConfigException("Error: bridge_require_ocsp is not supported by Culex.");
        });
        registry.add("bridge_insecure", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            boolean insecure = Values.bool(line, "bridge_insecure");
            bridge.properties().put("bridge_insecure", insecure);
            if (insecure) {
                state.report(Diagnostic.warning("Warning: Bridge " + bridge.name() + " using insecure mode."));
            }
        });

        registry.add("keepalive_interval", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            int seconds = Values.integer(line, "keepalive_interval");
            if (seconds > 65535) {
                throw new ConfigException("Error: Bridge keepalive value too high.");
            }
            if (seconds < 5) {
                state.report(Diagnostic.notice("keepalive interval too low, using 5 seconds."));
                seconds = 5;
            }
            bridge.properties().put("keepalive_interval", seconds);
        });
        registry.add("idle_timeout", (state, line) -> atLeastOne(state, line, "idle_timeout",
                "idle_timeout interval too low, using 1 second."));
        registry.add("threshold", (state, line) -> atLeastOne(state, line, "threshold",
                "threshold too low, using 1 message."));
        registry.add("bridge_max_packet_size", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            bridge.properties().put("bridge_max_packet_size",
                    Math.max(0, Values.integer(line, "bridge_max_packet_size")));
        });
        registry.add("restart_timeout", BridgeOptions::restartTimeout);
        registry.add("start_type", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            String type = Values.token(line, "start_type");
            switch (type) {
                case "automatic", "lazy", "once" -> bridge.properties().put("start_type", type);
                case "manual" -> throw new ConfigException("Error: Manual start_type not supported.");
                default -> throw new ConfigException("Error: Invalid start_type value in configuration (" + type + ").");
            }
        });
        registry.add("bridge_protocol_version", (state, line) -> {
            BridgeDraft bridge = state.currentBridge();
            String version = line.remainder();
            if (version == null) {
                throw new ConfigException("Error: Empty bridge_protocol_version value in configuration.");
            }
            if (!version.equals("mqttv31") && !version.equals("mqttv311") && !version.equals("mqttv50")) {
                throw new ConfigException("Error: Invalid bridge_protocol_version value (" + version + ").");
            }
            bridge.properties().put("bridge_protocol_version", version);
        });

        for (String name : CERTIFICATE_OPTIONS) {
            registry.add(name, (state, line) -> {
                BridgeDraft bridge = state.currentBridge();
                if (bridge.properties().has("bridge_identity") || bridge.properties().has("bridge_psk")) {
                    throw new ConfigException(CERT_AND_PSK);
                }
                bridge.properties().putString(name, line);
            });
        }
        registry.add("bridge_identity", (state, line) -> pskOption(state, line,
                "Error: Cannot use both certificate and identity encryption in a single bridge."));
        registry.add("bridge_psk", (state, line) -> pskOption(state, line, CERT_AND_PSK));
    }

    /** {@code address host[:port] [host[:port] ...]}, stored as "host:port" strings with Mosquitto's default port. */
    private static void addresses(ParseState state, OptionLine line) throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        if (bridge.hasAddresses()) {
            throw new ConfigException("Error: Invalid bridge configuration.");
        }
        List<String> addresses = new ArrayList<>();
        for (String token = line.nextToken(); token != null && !token.startsWith("#"); token = line.nextToken()) {
            // the port follows the last colon, which is why an IPv6 address needs one
            int colon = token.lastIndexOf(':');
            String host = colon < 0 ? token : token.substring(0, colon);
            int port = 1883;
            if (colon >= 0) {
                String portText = token.substring(colon + 1);
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    throw new ConfigException("Error: Invalid port value (" + portText + ").");
                }
                if (port < 1 || port > 65535) {
                    throw new ConfigException("Error: Invalid port value (" + port + ").");
                }
            }
            addresses.add(host + ":" + port);
        }
        if (addresses.isEmpty()) {
            throw new ConfigException("Error: Empty address value in configuration.");
        }
        bridge.addresses(addresses);
    }

    /**
     * {@code topic <pattern> [[[out|in|both] qos] local-prefix remote-prefix]}, stored normalised with every field
     * present ({@code ""} for an empty prefix), e.g. {@code sensors/# out 0 "" ""}.
     */
    private static void topic(ParseState state, OptionLine line) throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        String pattern = Values.token(line, "topic");
        String direction = "out";
        int qos = 0;
        String localPrefix = null;
        String remotePrefix = null;
        String token = line.nextToken();
        if (token != null) {
            direction = token.toLowerCase(Locale.ROOT);
            if (!direction.equals("out") && !direction.equals("in") && !direction.equals("both")) {
                throw new ConfigException("Error: Invalid bridge topic direction '" + token + "'.");
            }
            token = line.nextToken();
            // a token starting with # is a trailing comment and ends the line, as Mosquitto reads it
            if (token != null && !token.startsWith("#")) {
                try {
                    qos = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    qos = -1;
                }
                if (qos < 0 || qos > 2) {
                    throw new ConfigException("Error: Invalid bridge QoS level '" + token + "'.");
                }
                token = line.nextToken();
                if (token != null && !token.startsWith("#")) {
                    localPrefix = token;
                    token = line.nextToken();
                    if (token != null && !token.startsWith("#")) {
                        remotePrefix = token;
                    }
                }
            }
        }
        boolean emptyPattern = pattern.equals(EMPTY_PREFIX);
        boolean noLocal = localPrefix == null || localPrefix.equals(EMPTY_PREFIX);
        boolean noRemote = remotePrefix == null || remotePrefix.equals(EMPTY_PREFIX);
        if (emptyPattern && (noLocal || noRemote)) {
            throw new ConfigException("Error: Invalid bridge remapping.");
        }
        if (!noLocal && !Values.isValidPublishTopic(localPrefix)) {
            throw new ConfigException("Error: Invalid bridge topic local prefix '" + localPrefix + "'.");
        }
        if (!noRemote && !Values.isValidPublishTopic(remotePrefix)) {
            throw new ConfigException("Error: Invalid bridge topic remote prefix '" + remotePrefix + "'.");
        }
        bridge.addTopic(String.join(" ", pattern, direction, Integer.toString(qos),
                noLocal ? EMPTY_PREFIX : localPrefix, noRemote ? EMPTY_PREFIX : remotePrefix));
    }

    /** {@code restart_timeout <constant>} or {@code restart_timeout <base> <cap>}, stored as one or two integers. */
    private static void restartTimeout(ParseState state, OptionLine line) throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        String baseText = Values.token(line, "restart_timeout");
        int base = Values.parseInt(baseText, "restart_timeout");
        if (base < 1) {
            state.report(Diagnostic.notice("restart_timeout interval too low, using 1 second."));
            base = 1;
        }
        String capText = line.nextToken();
        if (capText == null) {
            bridge.properties().put("restart_timeout", new Integer[] {base});
            return;
        }
        int cap = Values.parseInt(capText, "restart_timeout");
        if (cap < base) {
            throw new ConfigException("Error: backoff cap is lower than the base in restart_timeout.");
        }
        bridge.properties().put("restart_timeout", new Integer[] {base, cap});
    }

    /** Mosquitto's checks first (so a file it rejects fails with its words), then Culex's refusal of TLS-PSK. */
    private static void pskOption(ParseState state, OptionLine line, String conflictMessage) throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        for (String certificateOption : CERTIFICATE_OPTIONS) {
            if (bridge.properties().has(certificateOption)) {
                throw new ConfigException(conflictMessage);
            }
        }
        bridge.properties().putString(line.name(), line);
        throw new ConfigException("Error: " + line.name() + " is not supported by Culex: Java's TLS has no "
                + "pre-shared key cipher suites; use certificates (bridge_cafile).");
    }

    /**
     * {@code local_username}/{@code local_password}: kept, but the bridge's local side is inside the broker, where,
     * as in Mosquitto, a bridge is not checked by the security plugins, so they change nothing; a notice says so.
     */
    private static void localCredential(ParseState state, OptionLine line, String displayName)
            throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        bridge.properties().putString(line.name(), line, displayName);
        state.report(Diagnostic.notice("Bridge " + bridge.name() + ": " + line.name() + " has no effect in Culex "
                + "(the bridge's local side runs inside the broker and is not authenticated) (" + line.location()
                + ")"));
    }

    private static void atLeastOne(ParseState state, OptionLine line, String name, String correctionNote)
            throws ConfigException {
        BridgeDraft bridge = state.currentBridge();
        int value = Values.integer(line, name);
        if (value < 1) {
            state.report(Diagnostic.notice(correctionNote));
            value = 1;
        }
        bridge.properties().put(name, value);
    }

    private static void bridgeString(OptionRegistry registry, String option, String key, String displayName) {
        registry.add(option, (state, line) -> state.currentBridge().properties().putString(key, line, displayName));
    }

    private static void bridgeBoolean(OptionRegistry registry, String name) {
        registry.add(name, (state, line) -> state.currentBridge().properties().put(name, Values.bool(line, name)));
    }
}
