package io.culex.webconsole.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.culex.api.Broker;
import io.culex.api.BrokerStatistics;
import io.culex.api.ClientInfo;
import io.culex.api.ListenerInfo;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.api.admin.FeatureService;
import io.culex.bridge.BridgeState;

/** What the MQTT page shows, read from the broker's public API and turned into maps and lists for JSON. */
final class MqttSnapshot {

    static final int RETAINED_LIMIT = 200;
    private static final int PAYLOAD_PREVIEW = 120;
    private static final long SESSIONS_TIMEOUT_SECONDS = 10;

    private MqttSnapshot() {
    }

    static Map<String, Object> of(Broker broker, FeatureService features, BridgeConfigurations bridgeConfigurations,
            List<BridgeState> runningBridges, String retainedFilter) throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("time", System.currentTimeMillis());
        data.put("stats", statistics(broker.statistics()));
        data.put("listeners", broker.listeners().stream().map(MqttSnapshot::listener).toList());
        List<SessionInfo> sessions = broker.sessions().toCompletableFuture()
                .get(SESSIONS_TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .sorted(Comparator.comparing(SessionInfo::clientId)).toList();
        data.put("clients", sessions.stream().filter(s -> s.online() && s.client() != null)
                .map(MqttSnapshot::client).toList());
        data.put("subscriptions", subscriptions(broker, sessions));
        data.put("retained", retained(broker, retainedFilter));
        data.put("bridges", bridges(bridgeConfigurations, runningBridges));
        data.put("cluster", cluster(broker));
        data.put("features", features == null ? null : Map.of(
                "available", features.availableFeatures(), "installed", features.installedFeatures()));
        return data;
    }

    /**
     * The node's view of its cluster, as the cluster bundle publishes it under {@code $SYS/broker/cluster/} (read
     * from the retained store: no cluster classes needed); {@code null} when the node is not in one.
     */
    static Map<String, Object> cluster(Broker broker) {
        String prefix = "$SYS/broker/cluster/";
        Map<String, String> values = new java.util.TreeMap<>();
        for (RetainedMessage m : broker.retainedMessages(prefix + "#", 10_000)) {
            values.put(m.topic().substring(prefix.length()), new String(m.payload(), StandardCharsets.UTF_8));
        }
        if (!values.containsKey("name")) {
            return null;
        }
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("name", values.get("name"));
        cluster.put("state", values.getOrDefault("state", ""));
        cluster.put("members", values.getOrDefault("members", ""));
        cluster.put("missing", values.getOrDefault("members/missing", ""));
        cluster.put("forwarded", values.getOrDefault("messages/forwarded", ""));
        cluster.put("received", values.getOrDefault("messages/received", ""));
        List<Map<String, Object>> nodes = new ArrayList<>();
        values.forEach((key, value) -> {
            if (key.startsWith("member/") && key.endsWith("/clients")) {
                String address = key.substring("member/".length(), key.length() - "/clients".length());
                String member = "member/" + address + "/";
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("address", address);
                node.put("clients", value);
                node.put("received", values.getOrDefault(member + "messages/received/persecond", ""));
                node.put("sent", values.getOrDefault(member + "messages/sent/persecond", ""));
                nodes.add(node);
            }
        });
        cluster.put("nodes", nodes);
        return cluster;
    }

    private static Map<String, Object> statistics(BrokerStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connected", s.connectedClients());
        m.put("sessions", s.sessions());
        m.put("publishReceived", s.publishReceived());
        m.put("publishSent", s.publishSent());
        m.put("publishDropped", s.publishDropped());
        m.put("bytesReceived", s.bytesReceived());
        m.put("bytesSent", s.bytesSent());
        m.put("retained", s.retainedMessages());
        m.put("subscriptions", s.subscriptions());
        m.put("uptime", s.uptimeSeconds());
        return m;
    }

    private static Map<String, Object> listener(ListenerInfo l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", l.source());
        m.put("addresses", l.addresses().stream().map(MqttSnapshot::address).toList());
        m.put("port", l.port());
        m.put("protocol", l.protocol());
        m.put("tls", l.tls());
        m.put("mountPoint", l.mountPoint());
        m.put("connections", l.connections());
        return m;
    }

    private static Map<String, Object> client(SessionInfo session) {
        ClientInfo c = session.client();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", session.clientId());
        m.put("username", c.username());
        m.put("address", address(c.remoteAddress()));
        m.put("protocol", protocol(c));
        m.put("listener", c.listener());
        m.put("keepalive", c.keepAliveSeconds());
        m.put("subscriptions", session.subscriptions());
        m.put("inflight", session.inflightMessages());
        m.put("queued", session.queuedMessages());
        return m;
    }

    private static List<Map<String, Object>> subscriptions(Broker broker, List<SessionInfo> sessions) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SessionInfo session : sessions) {
            broker.subscriptions(session.clientId()).forEach((filter, qos) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("client", session.clientId());
                m.put("online", session.online());
                m.put("filter", filter);
                m.put("qos", qos);
                rows.add(m);
            });
        }
        return rows;
    }

    private static Map<String, Object> retained(Broker broker, String filter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("filter", filter);
        if (!isValidFilter(filter)) {
            m.put("error", "not a valid topic filter");
            m.put("messages", List.of());
            return m;
        }
        List<RetainedMessage> found = broker.retainedMessages(filter, RETAINED_LIMIT + 1);
        m.put("truncated", found.size() > RETAINED_LIMIT);
        m.put("messages", found.stream().limit(RETAINED_LIMIT).map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("topic", r.topic());
            row.put("qos", r.qos());
            row.put("size", r.payload().length);
            row.put("payload", preview(r.payload()));
            return row;
        }).toList());
        return m;
    }

    private static List<Map<String, Object>> bridges(BridgeConfigurations configurations, List<BridgeState> running)
            throws java.io.IOException {
        Map<String, BridgeState> byName = new LinkedHashMap<>();
        running.forEach(state -> byName.put(state.name(), state));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BridgeConfigurations.ConfiguredBridge bridge : configurations.list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", bridge.name());
            m.put("source", bridge.source());
            m.put("editable", bridge.editable());
            m.put("addresses", bridge.addresses());
            m.put("topics", bridge.topics());
            BridgeState state = byName.get(bridge.name());
            m.put("state", state == null ? "not running (see the log)" : state.connected() ? "connected"
                    : "disconnected");
            if (state != null) {
                m.put("address", state.address());
                m.put("since", String.valueOf(state.since()));
                m.put("sent", state.messagesSent());
                m.put("received", state.messagesReceived());
                m.put("queued", state.messagesQueued());
                m.put("attempts", state.connectAttempts());
                m.put("lastError", state.lastError());
            }
            rows.add(m);
        }
        return rows;
    }

    /** MQTT's rules: {@code #} only as the whole last level, {@code +} only as a whole level. */
    static boolean isValidFilter(String filter) {
        if (filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if ((level.contains("#") && (!level.equals("#") || i != levels.length - 1))
                    || (level.contains("+") && !level.equals("+"))) {
                return false;
            }
        }
        return true;
    }

    /** {@code 192.0.2.1:50000}, {@code [::1]:50000}, as Mosquitto logs addresses; a socket path as it is. */
    static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return address == null ? null : address.toString();
    }

    private static String protocol(ClientInfo client) {
        String version = switch (client.protocolVersion()) {
            case MQTT_3_1 -> "3.1";
            case MQTT_3_1_1 -> "3.1.1";
            case MQTT_5 -> "5.0";
        };
        return client.isBridge() ? version + " (bridge)" : version;
    }

    /** The payload as text when it is UTF-8, else its size; shortened for the table. */
    static String preview(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return "(" + payload.length + " bytes, binary)";
        }
        return text.length() > PAYLOAD_PREVIEW ? text.substring(0, PAYLOAD_PREVIEW) + "…" : text;
    }
}
