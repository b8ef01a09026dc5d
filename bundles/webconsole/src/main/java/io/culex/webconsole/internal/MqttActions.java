package io.culex.webconsole.internal;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.culex.api.Broker;
import io.culex.api.admin.FeatureService;

/**
 * The MQTT page's actions, each a POST with {@code action=<name>} and its parameters; each returns a line for the
 * page to show, or throws {@link IllegalArgumentException} with what is wrong.
 */
final class MqttActions {

    /** The console cannot serve a request to remove itself. */
    static final String ADMIN_FEATURE = "admin";

    private final Broker broker;
    private final FeatureService features;
    private final BridgeConfigurations bridges;

    MqttActions(Broker broker, FeatureService features, BridgeConfigurations bridges) {
        this.broker = broker;
        this.features = features;
        this.bridges = bridges;
    }

    String run(String action, Function<String, String> parameter) throws Exception {
        switch (action == null ? "" : action) {
            case "kick": {
                String id = required(parameter, "id");
                if (!broker.disconnectClient(id)) {
                    throw new IllegalArgumentException("No client " + id + " is connected");
                }
                return "Client " + id + " disconnected";
            }
            case "delete-retained": {
                String topic = required(parameter, "topic");
                if (topic.contains("+") || topic.contains("#")) {
                    throw new IllegalArgumentException("A retained message is deleted by its topic, without wildcards");
                }
                broker.publish(topic, new byte[0], 0, true); // MQTT: an empty retained message deletes it
                return "Retained message " + topic + " deleted";
            }
            case "bridge-add":
            case "bridge-edit": {
                String name = required(parameter, "name").trim();
                List<String> topics = Arrays.asList(required(parameter, "topics").split("\\R"));
                bridges.save(name, required(parameter, "addresses"), topics, action.equals("bridge-add"));
                return "Bridge " + name + " saved";
            }
            case "bridge-remove": {
                String name = required(parameter, "name");
                bridges.remove(name);
                return "Bridge " + name + " removed";
            }
            case "feature-install": {
                String name = required(parameter, "name");
                featureService().install(name);
                return "Feature " + name + " installed";
            }
            case "feature-uninstall": {
                String name = required(parameter, "name");
                if (ADMIN_FEATURE.equals(name)) {
                    throw new IllegalArgumentException("The console does not uninstall the feature it runs in");
                }
                featureService().uninstall(name);
                return "Feature " + name + " uninstalled";
            }
            default:
                throw new IllegalArgumentException("Unknown action " + action);
        }
    }

    private FeatureService featureService() {
        if (features == null) {
            throw new IllegalStateException("The feature service (bundle io.culex.plugins) is not running");
        }
        return features;
    }

    private static String required(Function<String, String> parameter, String name) {
        String value = parameter.apply(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Missing parameter " + name);
        }
        return value;
    }
}
