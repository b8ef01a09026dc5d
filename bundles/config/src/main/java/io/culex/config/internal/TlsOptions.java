package io.culex.config.internal;

/**
 * The certificate and PSK options of a listener. OpenSSL engines ({@code tls_engine}, {@code tls_keyform engine},
 * {@code tls_engine_kpass_sha1}) have no Java equivalent: they are read, so that such a file still loads, and
 * ignored with a warning.
 */
final class TlsOptions {

    private static final String CERT_AND_PSK =
            "Error: Cannot use both certificate and psk encryption in a single listener.";

    private TlsOptions() {
    }

    static void register(OptionRegistry registry) {
        certificateOption(registry, "cafile");
        certificateOption(registry, "certfile");
        listenerString(registry, "capath");
        listenerString(registry, "keyfile");
        listenerString(registry, "ciphers");
        listenerString(registry, "ciphers_tls1.3");
        listenerString(registry, "crlfile");
        listenerString(registry, "dhparamfile");
        listenerString(registry, "tls_version");
        listenerBoolean(registry, "require_certificate");
        listenerBoolean(registry, "use_identity_as_username");
        listenerBoolean(registry, "use_subject_as_username");
        registry.add("psk_hint", (state, line) -> {
            state.listenerFor(line, true).properties().putString("psk_hint", line);
            state.notYetSupported("psk_hint", line);
        });

        registry.add("tls_engine", TlsOptions::ignoredEngineOption);
        registry.add("tls_engine_kpass_sha1", TlsOptions::ignoredEngineOption);
        registry.add("tls_keyform", (state, line) -> {
            String keyform = Values.string(line, "tls_keyform", null);
            // Mosquitto treats anything but "engine" as the default, pem
            if (keyform.equals("engine")) {
                state.listenerFor(line, true);
                unsupported(state, line);
            }
        });
    }

    private static void certificateOption(OptionRegistry registry, String name) {
        registry.add(name, (state, line) -> {
            PropertyBag listener = state.listenerFor(line, true).properties();
            if (listener.has("psk_hint")) {
                throw new ConfigException(CERT_AND_PSK);
            }
            listener.putString(name, line);
        });
    }

    private static void listenerString(OptionRegistry registry, String name) {
        registry.add(name, (state, line) -> state.listenerFor(line, true).properties().putString(name, line));
    }

    /** A boolean listener option; only {@code true} differs from the default, so only it creates the default listener. */
    private static void listenerBoolean(OptionRegistry registry, String name) {
        registry.add(name, (state, line) -> {
            boolean value = Values.bool(line, name);
            state.listenerFor(line, value).properties().put(name, value);
        });
    }

    private static void ignoredEngineOption(ParseState state, OptionLine line) throws ConfigException {
        Values.string(line, line.name(), null);
        state.listenerFor(line, true);
        unsupported(state, line);
    }

    private static void unsupported(ParseState state, OptionLine line) {
        state.report(Diagnostic.warning("Warning: " + line.name()
                + " is not supported by Culex (OpenSSL engines have no Java equivalent) and is ignored ("
                + line.location() + ")"));
    }
}
