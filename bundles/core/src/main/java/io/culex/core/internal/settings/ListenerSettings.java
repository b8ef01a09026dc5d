package io.culex.core.internal.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One listener, from an {@code io.culex.core.listener} factory configuration (Mosquitto's option names).
 *
 * <p>Options this version cannot honour (PSK, {@code http_dir}) are refused with an error
 * rather than ignored: ignoring an option that changes what clients see or how they are secured would serve
 * something other than what the user asked for.
 */
public final class ListenerSettings {

    /** The {@code protocol} values, as in mosquitto.conf. */
    public enum Protocol { MQTT, WEBSOCKETS }

    private static final List<String> NOT_YET_SUPPORTED = List.of("psk_hint", "http_dir");

    public final int port;
    /** Host name or address to bind, or {@code null} for every interface. */
    public final String bindAddress;
    /** Network interface whose addresses are bound ({@code bind_interface}), or {@code null}. */
    public final String bindInterface;
    /** Path of the Unix domain socket ({@code listener 0 <path>}), or {@code null} for a TCP listener. */
    public final String unixSocketPath;
    /** {@code ipv4}, {@code ipv6} or {@code null} for both. */
    public final String socketDomain;
    public final Protocol protocol;
    /** The TLS options, or {@code null} for a listener without TLS. */
    public final TlsSettings tls;
    /** -1 for no limit. */
    public final int maxConnections;
    /** Highest QoS granted and accepted on this listener. */
    public final int maxQos;
    /** MQTT 5 topic aliases a client may use on this listener (Mosquitto's {@code max_topic_alias}, default 10). */
    public final int maxTopicAlias;
    /**
     * Mosquitto's {@code mount_point}: a prefix added to every topic and filter of this listener's clients, who see
     * topics without it; {@code null} for none.
     */
    public final String mountPoint;
    /**
     * With {@code per_listener_settings true}: this listener's {@code allow_anonymous},
     * {@code allow_zero_length_clientid} and {@code auto_id_prefix}; {@code null} where the broker's apply.
     */
    public final Boolean allowAnonymous;
    public final Boolean allowZeroLengthClientId;
    public final String autoIdPrefix;
    /** Use the user name as client id (Mosquitto's {@code use_username_as_clientid}). */
    public final boolean useUsernameAsClientId;
    /** Where in the configuration the listener was defined, for messages. */
    public final String source;
    /**
     * The listener's identity ({@code ClientInfo.listener()}): its configuration's {@code service.pid}, else its
     * source.
     */
    public final String id;
    /**
     * The key the config bundle gave the listener ({@code culex.listener.key}), named in the broker's
     * {@link BrokerSettings#LISTENER_KEYS}; {@code null} for a listener configured otherwise.
     */
    public final String key;
    /** The property holding {@link #key}. */
    public static final String KEY = "culex.listener.key";

    private ListenerSettings(Map<String, ?> p, String source) {
        this.source = source;
        Object pid = p.get("service.pid");
        this.id = pid != null ? pid.toString() : source;
        this.key = keyOf(p);
        Object portValue = p.get("port");
        if (portValue == null) {
            throw new IllegalArgumentException("Error: listener without port (" + source + ").");
        }
        port = toInt(portValue, "port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Error: Invalid port " + port + " (" + source + ").");
        }
        bindAddress = text(p, "bind_address");
        bindInterface = text(p, "bind_interface");
        unixSocketPath = text(p, "unix_socket_path");
        socketDomain = text(p, "socket_domain");
        if (socketDomain != null && !socketDomain.equals("ipv4") && !socketDomain.equals("ipv6")) {
            throw new IllegalArgumentException("Error: Invalid socket_domain '" + socketDomain + "' (" + source
                    + ").");
        }
        String protocolName = text(p, "protocol") == null ? "mqtt" : text(p, "protocol");
        if (protocolName.equals("mqtt")) {
            protocol = Protocol.MQTT;
        } else if (protocolName.equals("websockets")) {
            protocol = Protocol.WEBSOCKETS;
        } else {
            throw new IllegalArgumentException("Error: Invalid protocol value (" + protocolName + ") (" + source
                    + ").");
        }
        if (unixSocketPath != null && (bindInterface != null || port != 0)) {
            throw new IllegalArgumentException("Error: a Unix socket listener (" + unixSocketPath
                    + ") takes port 0 and no bind_interface (" + source + ").");
        }
        tls = TlsSettings.from(p, source);
        maxConnections = p.get("max_connections") == null ? -1 : toInt(p.get("max_connections"), "max_connections");
        maxQos = p.get("max_qos") == null ? 2 : toInt(p.get("max_qos"), "max_qos");
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("Error: max_qos must be 0, 1 or 2 (" + source + ").");
        }
        maxTopicAlias = p.get("max_topic_alias") == null ? 10 : toInt(p.get("max_topic_alias"), "max_topic_alias");
        if (maxTopicAlias < 0 || maxTopicAlias > 65535) {
            throw new IllegalArgumentException("Error: max_topic_alias must be 0..65535 (" + source + ").");
        }
        allowAnonymous = optionalBoolean(p, "allow_anonymous");
        allowZeroLengthClientId = optionalBoolean(p, "allow_zero_length_clientid");
        autoIdPrefix = text(p, "auto_id_prefix");
        mountPoint = text(p, "mount_point");
        if (mountPoint != null && (mountPoint.contains("+") || mountPoint.contains("#"))) {
            throw new IllegalArgumentException("Error: mount_point must not contain wildcards (" + source + ").");
        }
        useUsernameAsClientId = Boolean.parseBoolean(String.valueOf(p.get("use_username_as_clientid")));
    }

    /** @return the listener key in configuration properties, or {@code null} */
    public static String keyOf(Map<String, ?> p) {
        Object key = p.get(KEY);
        return key == null ? null : key.toString();
    }

    /**
     * @throws IllegalArgumentException naming the option and the configuration source if a value is invalid or
     *     asks for something this version does not support
     */
    public static ListenerSettings from(Map<String, ?> p) {
        String source = p.get("culex.source") == null ? "listener configuration" : p.get("culex.source").toString();
        List<String> unsupported = new ArrayList<>();
        for (String option : NOT_YET_SUPPORTED) {
            if (p.get(option) != null) {
                unsupported.add(option);
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("Error: " + String.join(", ", unsupported)
                    + " not supported yet by Culex; the listener on port " + p.get("port") + " is not started ("
                    + source + ").");
        }
        return new ListenerSettings(p, source);
    }

    /** @return {@code true} for a Unix domain socket listener */
    public boolean isUnixSocket() {
        return unixSocketPath != null;
    }

    private int toInt(Object v, String name) {
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Error: Invalid " + name + " '" + v + "' (" + source + ").", e);
        }
    }

    private static Boolean optionalBoolean(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null ? null : Boolean.valueOf(v.toString().trim());
    }

    static String text(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }

    @Override
    public String toString() {
        String where = unixSocketPath != null ? unixSocketPath
                : (bindInterface != null ? bindInterface + ":" : bindAddress == null ? "" : bindAddress + ":") + port;
        String kind = protocol == Protocol.WEBSOCKETS ? "websockets" : "mqtt";
        return where + " (" + kind + (tls != null ? ", tls" : "") + ")";
    }
}
