package io.culex.cluster.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.hazelcast.replicatedmap.ReplicatedMap;

import io.culex.api.Broker;
import io.culex.api.BrokerStatistics;

/**
 * Each member's clients and message rates, for every node to show: each node writes its own line into a replicated
 * map ({@code culex.member-stats}: member id to "host:port clients received/s sent/s"), so reading everyone's is
 * local.
 */
final class MemberStats {

    static final String MAP = "culex.member-stats";

    /** One member's figures. */
    record Figures(String address, long clients, double receivedPerSecond, double sentPerSecond) {
    }

    private final Broker broker;
    private final ReplicatedMap<String, String> map;
    private final String member;
    private final String address;
    private long lastReceived = -1;
    private long lastSent;
    private long lastNanos;

    MemberStats(Broker broker, ReplicatedMap<String, String> map, String member, String address) {
        this.broker = broker;
        this.map = map;
        this.member = member;
        this.address = address;
    }

    /** Write this member's figures now (rates since the last call); one caller at a time. */
    synchronized void publish() {
        BrokerStatistics stats = broker.statistics();
        long now = System.nanoTime();
        double received = 0;
        double sent = 0;
        if (lastReceived >= 0 && now > lastNanos) {
            double seconds = (now - lastNanos) / 1e9;
            received = (stats.publishReceived() - lastReceived) / seconds;
            sent = (stats.publishSent() - lastSent) / seconds;
        }
        lastReceived = stats.publishReceived();
        lastSent = stats.publishSent();
        lastNanos = now;
        map.put(member, String.format(Locale.ROOT, "%s %d %.1f %.1f", address, stats.connectedClients(), received,
                sent));
    }

    void forget(String leftMember) {
        map.remove(leftMember);
    }

    void leaving() {
        map.remove(member);
    }

    /** @return every member's figures, by address */
    Map<String, Figures> all() {
        Map<String, Figures> figures = new TreeMap<>();
        for (String line : map.values()) {
            String[] f = line.split(" ");
            if (f.length == 4) {
                try {
                    figures.put(f[0], new Figures(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2]),
                            Double.parseDouble(f[3])));
                } catch (NumberFormatException e) {
                    // a member of another version: left out
                }
            }
        }
        return figures;
    }
}
