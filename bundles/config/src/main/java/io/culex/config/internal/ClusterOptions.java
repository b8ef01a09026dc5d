package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.CLUSTER_PID;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Culex's own cluster options, for the io.culex.cluster bundle (PID {@code io.culex.cluster}); any of them turns on
 * the {@code cluster} feature:
 * <ul>
 * <li>{@code cluster_name <name>}: only nodes with the same name form a cluster (default {@code culex});</li>
 * <li>{@code cluster_listener <port> [<bind address>]}: the port of this node's cluster member (default 5701) and
 * the address it binds to and announces (default 127.0.0.1: cluster traffic is neither authenticated nor
 * encrypted);</li>
 * <li>{@code cluster_member <host>:<port>}, repeatable: the other nodes to join (TCP/IP discovery);</li>
 * <li>{@code cluster_backup_count <0-6>}: backups of each entry of the cluster's maps (default 1).</li>
 * </ul>
 */
final class ClusterOptions {

    static final String NAME = "cluster_name";
    static final String PORT = "cluster_port";
    static final String BIND_ADDRESS = "cluster_bind_address";
    static final String MEMBERS = "cluster_members";
    static final String BACKUP_COUNT = "cluster_backup_count";
    static final int MAX_BACKUP_COUNT = 6;

    private ClusterOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("cluster_name", (state, line) -> {
            PropertyBag cluster = state.owner(CLUSTER_PID);
            cluster.put(NAME, Values.string(line, "cluster_name", cluster.get(NAME)));
        });
        registry.add("cluster_listener", ClusterOptions::listener);
        registry.add("cluster_member", ClusterOptions::member);
        registry.add("cluster_backup_count", (state, line) -> {
            PropertyBag cluster = state.owner(CLUSTER_PID);
            if (cluster.has(BACKUP_COUNT)) {
                throw new ConfigException("Error: Duplicate cluster_backup_count value in configuration.");
            }
            int count = Values.integer(line, "cluster_backup_count");
            if (count < 0 || count > MAX_BACKUP_COUNT) {
                throw new ConfigException("Error: Invalid cluster_backup_count value (" + count + "): use 0 to "
                        + MAX_BACKUP_COUNT + ".");
            }
            cluster.put(BACKUP_COUNT, count);
        });
    }

    private static void listener(ParseState state, OptionLine line) throws ConfigException {
        PropertyBag cluster = state.owner(CLUSTER_PID);
        if (cluster.has(PORT)) {
            throw new ConfigException("Error: Duplicate cluster_listener value in configuration.");
        }
        int port = Values.integer(line, "cluster_listener");
        if (port < 1 || port > 65535) {
            throw new ConfigException("Error: Invalid cluster_listener port value (" + port + ").");
        }
        String address = line.nextToken();
        if (line.nextToken() != null) {
            throw new ConfigException("Error: Too many arguments to cluster_listener: use cluster_listener <port> "
                    + "[<bind address>].");
        }
        cluster.put(PORT, port);
        if (address != null) {
            cluster.put(BIND_ADDRESS, address);
        }
    }

    private static void member(ParseState state, OptionLine line) throws ConfigException {
        String member = Values.token(line, "cluster_member");
        if (line.nextToken() != null) {
            throw new ConfigException("Error: Too many arguments to cluster_member: use one cluster_member "
                    + "<host>:<port> line per member.");
        }
        int colon = member.lastIndexOf(':');
        int port = -1;
        if (colon > 0) {
            try {
                port = Integer.parseInt(member.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("Error: Invalid cluster_member value (" + member + "): use <host>:<port>.");
        }
        PropertyBag cluster = state.owner(CLUSTER_PID);
        List<String> members = new ArrayList<>();
        if (cluster.get(MEMBERS) instanceof String[]) {
            members.addAll(Arrays.asList((String[]) cluster.get(MEMBERS)));
        }
        members.add(member);
        cluster.put(MEMBERS, members.toArray(String[]::new));
    }
}
