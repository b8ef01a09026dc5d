package io.culex.bridge.internal;

/**
 * A bridge's TLS options ({@code bridge_cafile}, ...), or {@code null} from {@link #from} when the bridge connects
 * without TLS: Mosquitto uses TLS for a bridge when {@code bridge_cafile} or {@code bridge_capath} is set.
 */
record BridgeTls(String caFile, String caPath, String certFile, String keyFile, boolean insecure,
        String tlsVersion, String alpn) {

    static BridgeTls from(ConfigValues values) {
        String caFile = values.string("bridge_cafile", null);
        String caPath = values.string("bridge_capath", null);
        String certFile = values.string("bridge_certfile", null);
        String keyFile = values.string("bridge_keyfile", null);
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("Invalid bridge configuration: bridge_certfile and bridge_keyfile "
                    + "go together");
        }
        if (caFile == null && caPath == null) {
            if (certFile != null || values.has("bridge_tls_version") || values.has("bridge_alpn")
                    || values.has("bridge_insecure")) {
                throw new IllegalArgumentException("Invalid bridge configuration: TLS options need bridge_cafile or "
                        + "bridge_capath");
            }
            return null;
        }
        String version = values.string("bridge_tls_version", null);
        if (version != null && !version.equals("tlsv1.3") && !version.equals("tlsv1.2")
                && !version.equals("tlsv1.1")) {
            throw new IllegalArgumentException("Invalid bridge_tls_version value (" + version + ")");
        }
        return new BridgeTls(caFile, caPath, certFile, keyFile, values.bool("bridge_insecure", false), version,
                values.string("bridge_alpn", null));
    }
}
