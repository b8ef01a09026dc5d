package io.culex.webconsole.internal;

import java.util.Collection;
import java.util.Locale;
import java.util.function.ToLongFunction;

import io.culex.api.BrokerStatistics;
import io.culex.bridge.BridgeState;

/**
 * The broker's counters in Prometheus' text exposition format (version 0.0.4): the numbers of the {@code $SYS}
 * tree, named {@code culex_...}, counters ending in {@code _total}. Each HELP line names the {@code $SYS} topic the
 * value also appears under.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    private PrometheusText() {
    }

    static String render(BrokerStatistics stats, Collection<BridgeState> bridges, long heapUsed, long heapMax) {
        PrometheusText text = new PrometheusText();
        text.gauge("culex_uptime_seconds", "Seconds since the broker started ($SYS/broker/uptime)",
                stats.uptimeSeconds());
        text.gauge("culex_clients_connected", "Clients connected now (clients/connected)", stats.connectedClients());
        text.gauge("culex_clients_maximum", "Most clients connected at once (clients/maximum)",
                stats.maximumConnectedClients());
        text.gauge("culex_clients_total", "Sessions, connected or not (clients/total)", stats.sessions());
        text.gauge("culex_clients_disconnected", "Persistent sessions whose client is not connected "
                + "(clients/disconnected)", stats.disconnectedClients());
        text.counter("culex_clients_expired_total", "Sessions removed by expiry (clients/expired)",
                stats.expiredClients());
        text.counter("culex_messages_received_total", "MQTT packets received (messages/received)",
                stats.messagesReceived());
        text.counter("culex_messages_sent_total", "MQTT packets sent (messages/sent)", stats.messagesSent());
        text.counter("culex_publish_messages_received_total", "PUBLISH packets received (publish/messages/received)",
                stats.publishReceived());
        text.counter("culex_publish_messages_sent_total", "PUBLISH packets sent (publish/messages/sent)",
                stats.publishSent());
        text.counter("culex_publish_messages_dropped_total", "Messages dropped (publish/messages/dropped)",
                stats.publishDropped());
        text.counter("culex_publish_bytes_received_total", "PUBLISH payload bytes received (publish/bytes/received)",
                stats.publishBytesReceived());
        text.counter("culex_publish_bytes_sent_total", "PUBLISH payload bytes sent (publish/bytes/sent)",
                stats.publishBytesSent());
        text.counter("culex_bytes_received_total", "Bytes received from the network (bytes/received)",
                stats.bytesReceived());
        text.counter("culex_bytes_sent_total", "Bytes sent to the network (bytes/sent)", stats.bytesSent());
        text.counter("culex_socket_connections_total", "Connections accepted (load/sockets)",
                stats.socketConnections());
        text.counter("culex_connect_packets_total", "CONNECT packets received (load/connections)",
                stats.connectPackets());
        text.gauge("culex_retained_messages", "Retained messages (retained messages/count)", stats.retainedMessages());
        text.gauge("culex_subscriptions", "Subscriptions (subscriptions/count)", stats.subscriptions());
        text.gauge("culex_shared_subscriptions", "Shared subscriptions (shared_subscriptions/count)",
                stats.sharedSubscriptions());
        text.gauge("culex_store_messages", "Messages held by the broker (store/messages/count)",
                stats.storedMessages());
        text.gauge("culex_store_messages_bytes", "Payload bytes of those messages (store/messages/bytes)",
                stats.storedMessageBytes());
        text.gauge("culex_heap_used_bytes", "Java heap in use (heap/current)", heapUsed);
        text.gauge("culex_heap_max_bytes", "Java heap maximum (heap/maximum)", heapMax);
        if (!bridges.isEmpty()) {
            text.perBridge("culex_bridge_connected", "gauge", "1 while the bridge is connected "
                    + "(connection/<name>/state)", bridges, b -> b.connected() ? 1 : 0);
            text.perBridge("culex_bridge_messages_sent_total", "counter", "Messages the bridge handed to the remote "
                    + "broker", bridges, BridgeState::messagesSent);
            text.perBridge("culex_bridge_messages_received_total", "counter", "Messages the bridge received from the "
                    + "remote broker", bridges, BridgeState::messagesReceived);
            text.perBridge("culex_bridge_messages_dropped_total", "counter", "Messages the bridge gave up", bridges,
                    BridgeState::messagesDropped);
            text.perBridge("culex_bridge_messages_queued", "gauge", "Messages waiting for the remote broker", bridges,
                    BridgeState::messagesQueued);
        }
        return text.out.toString();
    }

    private void gauge(String name, String help, long value) {
        header(name, "gauge", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private void counter(String name, String help, long value) {
        header(name, "counter", help);
        out.append(name).append(' ').append(value).append('\n');
    }

    private void perBridge(String name, String type, String help, Collection<BridgeState> bridges,
            ToLongFunction<BridgeState> value) {
        header(name, type, help);
        for (BridgeState bridge : bridges) {
            out.append(name).append("{connection=\"").append(labelValue(bridge.name())).append("\"} ")
                    .append(value.applyAsLong(bridge)).append('\n');
        }
    }

    private void header(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(name).append(' ').append(type.toLowerCase(Locale.ROOT))
                .append('\n');
    }

    /** Prometheus' escaping of a label value: backslash, double quote and line feed. */
    static String labelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
