package io.culex.bridge.internal;

/** One entry of a bridge's {@code address} list: Mosquitto's {@code host[:port]}, port 1883 by default. */
record RemoteAddress(String host, int port) {

    static final int DEFAULT_PORT = 1883;

    RemoteAddress {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in bridge address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Invalid port value (" + port + ")");
        }
    }

    /** Parses {@code host}, {@code host:port} or {@code [v6]:port}; the port follows the last colon, as Mosquitto reads it. */
    static RemoteAddress parse(String text) {
        String value = text.trim();
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.endsWith("]")) {
            return new RemoteAddress(unbracket(value), DEFAULT_PORT);
        }
        String portText = value.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid port value (" + portText + ") in bridge address " + text);
        }
        return new RemoteAddress(unbracket(value.substring(0, colon)), port);
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
