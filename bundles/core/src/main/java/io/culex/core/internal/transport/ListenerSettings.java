package io.culex.core.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One listener, from an {@code io.culex.core.listener} factory configuration (Mosquitto's option names).
 *
 * <p>Options this version cannot honour (TLS, WebSockets, Unix sockets, {@code mount_point}, {@code bind_interface})
 * are refused with an error rather than ignored: ignoring {@code certfile} would serve plain text where the user
 * asked for TLS.
 */
public final class ListenerSettings {

    private static final List<String> NOT_YET_SUPPORTED = List.of("cafile", "capath", "certfile", "keyfile",
            "ciphers", "ciphers_tls1.3", "crlfile", "dhparamfile", "tls_version", "require_certificate",
            "use_identity_as_username", "use_subject_as_username", "psk_hint", "mount_point", "bind_interface",
            "unix_socket_path", "http_dir");

    public final int port;
    /** Host name or address to bind, or {@code null} for every interface. */
    public final String bindAddress;
    /** {@code ipv4}, {@code ipv6} or {@code null} for both. */
    public final String socketDomain;
    public final String protocol;
    /** -1 for no limit. */
    public final int maxConnections;
    /** Highest QoS granted and accepted on this listener. */
    public final int maxQos;
    /** MQTT 5 topic aliases a client may use on this listener (Mosquitto's {@code max_topic_alias}, default 10). */
    public final int maxTopicAlias;
    /** Use the user name as client id (Mosquitto's {@code use_username_as_clientid}). */
    public final boolean useUsernameAsClientId;
    /** Where in the configuration the listener was defined, for messages. */
    public final String source;

    private ListenerSettings(Map<String, ?> p, String source) {
        this.source = source;
        Object portValue = p.get("port");
        if (portValue == null) {
            throw new IllegalArgumentException("Error: listener without port (" + source + ").");
        }
        port = toInt(portValue, "port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Error: Invalid port " + port + " (" + source + ").");
        }
        bindAddress = text(p, "bind_address");
        socketDomain = text(p, "socket_domain");
        if (socketDomain != null && !socketDomain.equals("ipv4") && !socketDomain.equals("ipv6")) {
            throw new IllegalArgumentException("Error: Invalid socket_domain '" + socketDomain + "' (" + source
                    + ").");
        }
        protocol = p.get("protocol") == null ? "mqtt" : p.get("protocol").toString().trim();
        maxConnections = p.get("max_connections") == null ? -1 : toInt(p.get("max_connections"), "max_connections");
        maxQos = p.get("max_qos") == null ? 2 : toInt(p.get("max_qos"), "max_qos");
        if (maxQos < 0 || maxQos > 2) {
            throw new IllegalArgumentException("Error: max_qos must be 0, 1 or 2 (" + source + ").");
        }
        maxTopicAlias = p.get("max_topic_alias") == null ? 10 : toInt(p.get("max_topic_alias"), "max_topic_alias");
        if (maxTopicAlias < 0 || maxTopicAlias > 65535) {
            throw new IllegalArgumentException("Error: max_topic_alias must be 0..65535 (" + source + ").");
        }
        useUsernameAsClientId = Boolean.parseBoolean(String.valueOf(p.get("use_username_as_clientid")));
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
        Object protocol = p.get("protocol");
        if (protocol != null && !"mqtt".equals(protocol.toString().trim())) {
            unsupported.add("protocol " + protocol);
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("Error: " + String.join(", ", unsupported)
                    + " not supported yet by Culex; the listener on port " + p.get("port") + " is not started ("
                    + source + ").");
        }
        return new ListenerSettings(p, source);
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

    private static String text(Map<String, ?> p, String key) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }

    @Override
    public String toString() {
        return (bindAddress == null ? "" : bindAddress + ":") + port + " (" + protocol + ")";
    }
}
