package io.culex.config.internal;

/**
 * {@code listener}, the deprecated {@code port}/{@code bind_address} of the default listener, and the general
 * per-listener options. A listener option applies to the listener above it; before the first {@code listener}
 * line it applies to the default listener (see {@link ParseState#listenerFor}).
 */
final class ListenerOptions {

    private ListenerOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("listener", ListenerOptions::listener);
        registry.add("port", (state, line) -> {
            state.report(Diagnostic.notice("The 'port' option is now deprecated and will be removed in a future "
                    + "version. Please use 'listener' instead."));
            ListenerDraft defaultListener = state.defaultListener();
            if (defaultListener.hasConfiguredPort()) {
                state.report(Diagnostic.warning(
                        "Warning: Default listener port specified multiple times. Only the latest will be used."));
            }
            int port = Values.integer(line, "port");
            if (port < 1 || port > 65535) {
                throw invalidPort(port);
            }
            defaultListener.defaultPort(port, line.location());
        });
        registry.add("bind_address", (state, line) -> {
            // sic: Mosquitto 2.0's text
            state.report(Diagnostic.notice("The 'bind_address' option is now deprecated and will be removed in a "
                    + "future version. The behaviour will default to true."));
            ListenerDraft defaultListener = state.defaultListener();
            String address = Values.string(line, "default listener bind_address",
                    defaultListener.hasBindAddress() ? "" : null);
            defaultListener.defaultBindAddress(address, line.location());
        });

        registry.add("bind_interface", (state, line) ->
                state.listenerFor(line, true).properties().putString("bind_interface", line));
        registry.add("max_connections", (state, line) -> {
            int value = Values.integer(line, "max_connections");
            int limit = value < 0 ? -1 : value; // any negative value means unlimited
            state.listenerFor(line, limit != -1).properties().put("max_connections", limit);
        });
        registry.add("max_qos", ListenerOptions::maxQos);
        registry.add("maximum_qos", ListenerOptions::maxQos);
        registry.add("max_topic_alias", (state, line) -> {
            String token = Values.token(line, "max_topic_alias");
            int value = Values.parseInt(token, "max_topic_alias");
            if (value < 0 || value > 65535) {
                throw new ConfigException("Error: Invalid max_topic_alias value in configuration.");
            }
            state.listenerFor(line, false).properties().put("max_topic_alias", value);
        });
        registry.add("mount_point", (state, line) -> {
            if (!state.hasListenerLine()) {
                throw new ConfigException("Error: You must use create a listener before using the mount_point "
                        + "option in the configuration file.");
            }
            PropertyBag listener = state.listenerFor(line, false).properties();
            listener.putString("mount_point", line);
            String mountPoint = (String) listener.get("mount_point");
            if (!Values.isValidPublishTopic(mountPoint)) {
                throw new ConfigException("Error: Invalid mount_point '" + mountPoint
                        + "'. Does it contain a wildcard character?");
            }
        });
        registry.add("protocol", (state, line) -> {
            String protocol = Values.token(line, "protocol");
            if (!protocol.equals("mqtt") && !protocol.equals("websockets")) {
                throw new ConfigException("Error: Invalid protocol value (" + protocol + ").");
            }
            state.listenerFor(line, !protocol.equals("mqtt")).properties().put("protocol", protocol);
        });
        registry.add("socket_domain", (state, line) -> {
            String domain = Values.token(line, "socket_domain");
            if (!domain.equals("ipv4") && !domain.equals("ipv6")) {
                throw new ConfigException("Error: Invalid socket_domain value \"" + domain + "\" in configuration.");
            }
            state.listenerFor(line, true).properties().put("socket_domain", domain);
        });
        registry.add("use_username_as_clientid", (state, line) -> {
            boolean value = Values.bool(line, "use_username_as_clientid");
            state.listenerFor(line, value).properties().put("use_username_as_clientid", value);
        });
        registry.add("http_dir", (state, line) -> {
            state.listenerFor(line, false).properties().putString("http_dir", line);
            state.notYetSupported("http_dir", line);
        });
    }

    /** {@code listener <port> [<bind address or host>]}, or {@code listener 0 <unix socket path>}. */
    private static void listener(ParseState state, OptionLine line) throws ConfigException {
        String portToken = Values.token(line, "listener");
        int port;
        try {
            port = Integer.parseInt(portToken);
        } catch (NumberFormatException e) {
            throw new ConfigException("Error: Invalid port value (" + portToken + ").");
        }
        if (port < 0 || port > 65535) {
            throw invalidPort(port);
        }
        String address = line.nextToken();
        if (address != null && address.startsWith("#")) {
            address = null; // a trailing comment, which Mosquitto allows here
        }
        if (port == 0) {
            if (address == null) {
                throw new ConfigException("Error: A listener with port 0 must provide a Unix socket path.");
            }
            state.startListener(ListenerDraft.unixSocket(address, line.location()));
        } else {
            state.startListener(ListenerDraft.tcp(port, address, line.location()));
        }
    }

    private static void maxQos(ParseState state, OptionLine line) throws ConfigException {
        int value = Values.integer(line, line.name());
        if (value < 0 || value > 2) {
            throw new ConfigException("Error: max_qos must be between 0 and 2 inclusive.");
        }
        state.listenerFor(line, value != 2).properties().put("max_qos", value);
    }

    private static ConfigException invalidPort(int port) {
        return new ConfigException("Error: Invalid port value (" + port + ").");
    }
}
