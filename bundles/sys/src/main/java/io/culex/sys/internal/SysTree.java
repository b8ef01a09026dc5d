package io.culex.sys.internal;

import java.util.ArrayList;
import java.util.List;

import io.culex.api.BrokerStatistics;

/**
 * Mosquitto 2.0's {@code $SYS/broker/...} tree: from one {@link Sample} per update, the retained messages to
 * publish, with Mosquitto's topics, text formats, order and rules (sys_tree.c): {@code version} once, at the first
 * update; {@code uptime} at every update; a counter when it changed; a maximum when it grew; load averages when they
 * moved by 0.01 or more. Not thread-safe: the component calls it from its one scheduled task.
 */
final class SysTree {

    static final String PREFIX = "$SYS/broker/";
    /** Mosquitto 2.0 publishes every periodic $SYS message with this expiry (not the version). */
    static final long MOSQUITTO_MESSAGE_EXPIRY_SECONDS = 60;

    private final String version;
    private final List<ChangedValue> clientValues = List.of(
            ChangedValue.counter(s -> s.stats().sessions(), "clients/total"),
            ChangedValue.maximum(s -> s.stats().maximumConnectedClients(), "clients/maximum"),
            ChangedValue.counter(s -> s.stats().disconnectedClients(), "clients/inactive", "clients/disconnected"),
            ChangedValue.counter(s -> s.stats().connectedClients(), "clients/active", "clients/connected"),
            ChangedValue.counter(s -> s.stats().expiredClients(), "clients/expired"));
    private final List<LoadAverages> loads = List.of(
            new LoadAverages("messages/received", s -> s.stats().messagesReceived()),
            new LoadAverages("messages/sent", s -> s.stats().messagesSent()),
            new LoadAverages("publish/dropped", s -> s.stats().publishDropped()),
            new LoadAverages("publish/received", s -> s.stats().publishReceived()),
            new LoadAverages("publish/sent", s -> s.stats().publishSent()),
            new LoadAverages("bytes/received", s -> s.stats().bytesReceived()),
            new LoadAverages("bytes/sent", s -> s.stats().bytesSent()),
            new LoadAverages("sockets", s -> s.stats().socketConnections()),
            new LoadAverages("connections", s -> s.stats().connectPackets()));
    private final List<ChangedValue> otherValues = List.of(
            ChangedValue.counter(s -> s.stats().storedMessages(), "messages/stored", "store/messages/count"),
            ChangedValue.counter(s -> s.stats().storedMessageBytes(), "store/messages/bytes"),
            ChangedValue.counter(s -> s.stats().subscriptions(), "subscriptions/count"),
            ChangedValue.counter(s -> s.stats().sharedSubscriptions(), "shared_subscriptions/count"),
            ChangedValue.counter(s -> s.stats().retainedMessages(), "retained messages/count"),
            ChangedValue.counter(Sample::heapUsedBytes, "heap/current"),
            ChangedValue.maximum(Sample::heapMaximumBytes, "heap/maximum"),
            ChangedValue.counter(s -> s.stats().messagesReceived(), "messages/received"),
            ChangedValue.counter(s -> s.stats().messagesSent(), "messages/sent"),
            ChangedValue.counter(s -> s.stats().publishDropped(), "publish/messages/dropped"),
            ChangedValue.counter(s -> s.stats().publishReceived(), "publish/messages/received"),
            ChangedValue.counter(s -> s.stats().publishSent(), "publish/messages/sent"),
            ChangedValue.counter(s -> s.stats().bytesReceived(), "bytes/received"),
            ChangedValue.counter(s -> s.stats().bytesSent(), "bytes/sent"),
            ChangedValue.counter(s -> s.stats().publishBytesReceived(), "publish/bytes/received"),
            ChangedValue.counter(s -> s.stats().publishBytesSent(), "publish/bytes/sent"));
    private boolean started;
    private long previousNanos;

    /** @param version the broker's version, for {@code $SYS/broker/version} */
    SysTree(String version) {
        this.version = version;
    }

    /** @return the messages this update publishes, in Mosquitto's order (the load averages grouped by counter) */
    List<SysMessage> update(Sample sample) {
        List<SysMessage> out = new ArrayList<>();
        BrokerStatistics stats = sample.stats();
        if (!started) {
            out.add(new SysMessage(PREFIX + "version", SysFormat.version(version), false));
        }
        out.add(new SysMessage(PREFIX + "uptime", SysFormat.uptime(stats.uptimeSeconds()), true));
        clientValues.forEach(value -> value.collect(sample, out));
        if (!started) {
            loads.forEach(load -> load.start(sample, out));
            previousNanos = sample.nanoTime();
            started = true;
        } else if (sample.nanoTime() > previousNanos) {
            double elapsedSeconds = (sample.nanoTime() - previousNanos) / 1e9;
            loads.forEach(load -> load.update(sample, elapsedSeconds, out));
            previousNanos = sample.nanoTime();
        }
        otherValues.forEach(value -> value.collect(sample, out));
        return out;
    }
}
