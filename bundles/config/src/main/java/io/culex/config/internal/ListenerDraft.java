package io.culex.config.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A listener while the file is being read. Besides the {@code listener} lines there is Mosquitto's implicit
 * default listener: {@code port} and {@code bind_address} configure it, and so do per-listener options that come
 * before the first {@code listener} line. It exists only if one of those lines makes Mosquitto create it.
 */
final class ListenerDraft {

    static final int DEFAULT_PORT = 1883;

    private int port;
    private String bindAddress;
    private String unixSocketPath;
    private boolean portConfigured;
    private SourceLocation source;
    private final PropertyBag properties = new PropertyBag();

    private ListenerDraft(int port, String bindAddress, String unixSocketPath, SourceLocation source) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.unixSocketPath = unixSocketPath;
        this.source = source;
    }

    static ListenerDraft implicitDefault() {
        return new ListenerDraft(DEFAULT_PORT, null, null, null);
    }

    static ListenerDraft tcp(int port, String bindAddress, SourceLocation source) {
        return new ListenerDraft(port, bindAddress, null, source);
    }

    static ListenerDraft unixSocket(String path, SourceLocation source) {
        return new ListenerDraft(0, null, path, source);
    }

    /** Whether this listener will exist: always for a {@code listener} line, on demand for the default one. */
    boolean isCreated() {
        return source != null;
    }

    /** Creates the default listener (first caller wins, so its source is the first line that needed it). */
    void markCreatedBy(SourceLocation location) {
        if (source == null) {
            source = location;
        }
    }

    boolean hasConfiguredPort() {
        return portConfigured;
    }

    void defaultPort(int newPort, SourceLocation location) {
        port = newPort;
        portConfigured = true;
        markCreatedBy(location);
    }

    boolean hasBindAddress() {
        return bindAddress != null;
    }

    void defaultBindAddress(String address, SourceLocation location) {
        bindAddress = address;
        markCreatedBy(location);
    }

    PropertyBag properties() {
        return properties;
    }

    SourceLocation source() {
        return source;
    }

    /**
     * The identity that survives reloads: Mosquitto itself matches listeners by port and bind address (or socket
     * path) when it reloads, so the same rule decides whether a listener is "the same" here.
     */
    String key() {
        if (unixSocketPath != null) {
            return "unix:" + unixSocketPath;
        }
        if (bindAddress == null) {
            return "*:" + port;
        }
        return (bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress) + ":" + port;
    }

    ListenerDefinition toDefinition() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("port", port);
        if (bindAddress != null) {
            result.put("bind_address", bindAddress);
        }
        if (unixSocketPath != null) {
            result.put("unix_socket_path", unixSocketPath);
        }
        result.put("protocol", "mqtt");
        result.putAll(properties.toMap());
        return new ListenerDefinition(key(), source, result);
    }
}
