package io.culex.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/** Starts the embedded Hazelcast member of a node from its {@link ClusterSettings}. */
final class HazelcastMember {

    /** The cluster-wide map of retained messages: topic to {@link ClusterMessage} bytes. */
    static final String RETAINED_MAP = "culex.retained";
    /** The replicated index of the nodes' filters: {@link FilterKeys} to {@code true}. */
    static final String FILTER_INDEX = "culex.filters";
    /** Each node's inbox of forwarded messages is the topic with this prefix and its member id. */
    static final String INBOX_PREFIX = "culex.node.";

    private HazelcastMember() {
    }

    /**
     * Start the member and join the cluster; blocks until it has joined (or formed a cluster of its own when no
     * listed member answers).
     */
    static HazelcastInstance start(ClusterSettings settings) {
        Config config = new Config();
        config.setClusterName(settings.name);
        config.setInstanceName("culex-" + settings.bindAddress + "-" + settings.port);
        // Hazelcast finds its own services through this loader; this bundle's loader would not see them
        ClassLoader hazelcastLoader = HazelcastInstance.class.getClassLoader();
        config.setClassLoader(hazelcastLoader);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the bundle leaves when it stops
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", settings.bindAddress);
        // a dead node is noticed within about 10 s (Hazelcast's default is 60 s)
        config.setProperty("hazelcast.heartbeat.interval.seconds", "2");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        // halves of a split cluster look for each other every 10 s, not after 5 minutes
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.getJetConfig().setEnabled(false);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(settings.members);

        // the retained messages, the sessions and their owners: synchronous backups, so a write that completed is
        // on cluster_backup_count other members too
        config.getMapConfig("culex.*").setBackupCount(settings.backupCount).setAsyncBackupCount(0);

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(hazelcastLoader);
        try {
            return Hazelcast.newHazelcastInstance(config);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
