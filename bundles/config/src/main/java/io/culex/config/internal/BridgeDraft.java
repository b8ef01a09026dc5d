package io.culex.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@code connection} block while the file is being read. */
final class BridgeDraft {

    private final String name;
    private final SourceLocation source;
    private final PropertyBag properties = new PropertyBag();
    private List<String> addresses;
    private final List<String> topics = new ArrayList<>();

    BridgeDraft(String name, SourceLocation source) {
        this.name = name;
        this.source = source;
    }

    String name() {
        return name;
    }

    SourceLocation source() {
        return source;
    }

    PropertyBag properties() {
        return properties;
    }

    boolean hasAddresses() {
        return addresses != null;
    }

    void addresses(List<String> hostPorts) {
        addresses = List.copyOf(hostPorts);
    }

    void addTopic(String normalizedTopicLine) {
        topics.add(normalizedTopicLine);
    }

    /** Mosquitto's checks once the whole block is known; it reports these without a line, here they name the block. */
    void validate() throws ConfigException {
        if (addresses == null) {
            throw invalid("Error: Invalid bridge configuration: no remote addresses defined.");
        }
        if (topics.isEmpty()) {
            throw invalid("Error: Invalid bridge configuration: no topics defined.");
        }
        if (properties.has("bridge_psk") && !properties.has("bridge_identity")) {
            throw invalid("Error: Invalid bridge configuration: missing bridge_identity.");
        }
        if (properties.has("bridge_identity") && !properties.has("bridge_psk")) {
            throw invalid("Error: Invalid bridge configuration: missing bridge_psk.");
        }
        if (properties.has("bridge_certfile") != properties.has("bridge_keyfile")) {
            throw invalid("Error: Invalid bridge configuration: bridge_certfile and bridge_keyfile go together.");
        }
        boolean tls = properties.has("bridge_cafile") || properties.has("bridge_capath");
        for (String option : List.of("bridge_certfile", "bridge_insecure", "bridge_tls_version", "bridge_alpn")) {
            if (properties.has(option) && !tls) {
                throw invalid("Error: Invalid bridge configuration: " + option
                        + " needs bridge_cafile or bridge_capath (TLS).");
            }
        }
    }

    private ConfigException invalid(String message) {
        return new ConfigException(message).foundAt(source);
    }

    BridgeDefinition toDefinition() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("connection", name);
        result.put("address", addresses.toArray(String[]::new));
        result.put("topic", topics.toArray(String[]::new));
        result.putAll(properties.toMap());
        return new BridgeDefinition(name, source, result);
    }
}
