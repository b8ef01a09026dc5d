package io.culex.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.culex.api.Broker;

/**
 * The node's view of the cluster under {@code $SYS/broker/cluster/}, as retained messages published when they
 * change (checked every {@link #INTERVAL_SECONDS} seconds), in the style of Mosquitto's {@code $SYS} tree. Each node
 * publishes its own: {@code $SYS} topics are never forwarded.
 */
final class ClusterSysTopics {

    static final int INTERVAL_SECONDS = 2;
    static final String PREFIX = "$SYS/broker/cluster/";

    private final Broker broker;
    private final Map<String, String> published = new LinkedHashMap<>();

    ClusterSysTopics(Broker broker) {
        this.broker = broker;
    }

    /** Publish what changed; one caller at a time. */
    synchronized void update(ClusterView view) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", view.name);
        values.put("state", view.state());
        values.put("members", Integer.toString(view.members.size()));
        values.put("members/missing", String.join(" ", view.missing));
        values.put("nodes", String.join(" ", view.members));
        values.put("filters/local", Integer.toString(view.localFilters));
        values.put("filters/remote", Integer.toString(view.remoteFilters));
        values.put("messages/forwarded", Long.toString(view.forwarded));
        values.put("messages/received", Long.toString(view.received));
        view.figures.forEach((address, f) -> {
            String member = "member/" + address + "/";
            values.put(member + "clients", Long.toString(f.clients()));
            values.put(member + "messages/received/persecond", String.format(Locale.ROOT, "%.1f",
                    f.receivedPerSecond()));
            values.put(member + "messages/sent/persecond", String.format(Locale.ROOT, "%.1f", f.sentPerSecond()));
        });
        values.forEach((topic, value) -> {
            if (!value.equals(published.get(topic))) {
                publish(PREFIX + topic, value);
                published.put(topic, value);
            }
        });
        // a member that left: its topics are cleared
        published.keySet().removeIf(topic -> {
            if (values.containsKey(topic)) {
                return false;
            }
            publish(PREFIX + topic, "");
            return true;
        });
    }

    /** Clear the topics (the node left the cluster, the bundle stops). */
    synchronized void clear() {
        for (String topic : published.keySet()) {
            publish(PREFIX + topic, "");
        }
        published.clear();
    }

    private void publish(String topic, String value) {
        try {
            broker.newMessage(topic).payload(value.getBytes(StandardCharsets.UTF_8)).retain(true).publish();
        } catch (IllegalStateException e) {
            // the broker stopped first: its retained store went with it
        }
    }
}
