package io.culex.core.internal.transport;

import java.util.Map;

/**
 * One listener, from an {@code io.culex.core.listener} factory configuration (Mosquitto's option names).
 */
public final class ListenerSettings {

    public final int port;
    /** Host name or address to bind, or {@code null} for every interface. */
    public final String bindAddress;
    public final String protocol;
    /** -1 for no limit. */
    public final int maxConnections;
    /** Where in the configuration the listener was defined, for messages. */
    public final String source;

    private ListenerSettings(int port, String bindAddress, String protocol, int maxConnections, String source) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.protocol = protocol;
        this.maxConnections = maxConnections;
        this.source = source;
    }

    /**
     * @throws IllegalArgumentException naming the property and the configuration source if a value is invalid
     */
    public static ListenerSettings from(Map<String, ?> p) {
        String source = p.get("culex.source") == null ? "listener configuration" : p.get("culex.source").toString();
        Object portValue = p.get("port");
        if (portValue == null) {
            throw new IllegalArgumentException("listener without port (" + source + ")");
        }
        int port = toInt(portValue, "port", source);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Invalid port " + port + " (" + source + ")");
        }
        Object bind = p.get("bind_address");
        String bindAddress = bind == null || bind.toString().isBlank() ? null : bind.toString().trim();
        String protocol = p.get("protocol") == null ? "mqtt" : p.get("protocol").toString().trim();
        int maxConnections = p.get("max_connections") == null ? -1 : toInt(p.get("max_connections"),
                "max_connections", source);
        return new ListenerSettings(port, bindAddress, protocol, maxConnections, source);
    }

    private static int toInt(Object v, String name, String source) {
        if (v instanceof Number) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + name + " '" + v + "' (" + source + ")", e);
        }
    }

    @Override
    public String toString() {
        return (bindAddress == null ? "" : bindAddress + ":") + port + " (" + protocol + ")";
    }
}
