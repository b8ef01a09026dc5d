package io.culex.cluster.internal;

import java.util.ArrayList;
import java.util.List;

/** The cluster options as checked values. */
final class ClusterSettings {

    static final String DEFAULT_NAME = "culex";
    static final int DEFAULT_PORT = 5701;
    static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    static final int DEFAULT_BACKUP_COUNT = 1;
    /** Hazelcast allows at most six backups. */
    static final int MAX_BACKUP_COUNT = 6;

    final String name;
    final int port;
    final String bindAddress;
    final List<String> members;
    final int backupCount;

    ClusterSettings(String name, int port, String bindAddress, List<String> members, int backupCount) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cluster_name must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster_listener port out of range: " + port);
        }
        if (backupCount < 0 || backupCount > MAX_BACKUP_COUNT) {
            throw new IllegalArgumentException("cluster_backup_count must be 0 to " + MAX_BACKUP_COUNT + ": "
                    + backupCount);
        }
        this.name = name;
        this.port = port;
        this.bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress;
        this.members = List.copyOf(members);
        this.backupCount = backupCount;
    }

    static ClusterSettings from(ClusterConfiguration config) {
        List<String> members = new ArrayList<>();
        for (String member : config.cluster__members()) {
            if (member != null && !member.isBlank()) {
                members.add(member.strip());
            }
        }
        return new ClusterSettings(config.cluster__name(), config.cluster__port(), config.cluster__bind__address(),
                members, config.cluster__backup__count());
    }

    @Override
    public String toString() {
        return "cluster '" + name + "' on " + bindAddress + ":" + port + ", members " + members + ", "
                + backupCount + " backup(s)";
    }
}
