package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three Culex nodes, each its own JVM from one installation, forming cluster {@code itest} on loopback ports: the
 * first node starts alone, the other two join it (so the test never waits for two halves to merge).
 */
final class ClusterNodes implements AutoCloseable {

    static final int SIZE = 3;
    /** Three JVMs starting Hazelcast on a 2-core machine: joining may take a while. */
    static final long JOIN_SECONDS = 90;

    private final CulexProcess installation;
    final List<Node> nodes = new ArrayList<>();

    /** One node: its process, MQTT port and configuration. */
    static final class Node {
        final String name;
        final CulexProcess process;
        final int mqttPort;
        final int clusterPort;
        Path config;

        Node(String name, CulexProcess process, int mqttPort, int clusterPort) {
            this.name = name;
            this.process = process;
            this.mqttPort = mqttPort;
            this.clusterPort = clusterPort;
        }
    }

    private ClusterNodes(CulexProcess installation) {
        this.installation = installation;
    }

    static ClusterNodes start() throws Exception {
        CulexProcess installation = CulexProcess.install();
        ClusterNodes cluster = new ClusterNodes(installation);
        try {
            for (int i = 0; i < SIZE; i++) {
                String name = String.valueOf((char) ('a' + i));
                CulexProcess process = i == 0 ? installation : installation.anotherProcess("node-" + name);
                cluster.nodes.add(new Node(name, process.javaOptions("-Xmx256m"), CulexProcess.freePort(),
                        CulexProcess.freePort()));
            }
            String members = cluster.nodes.stream().map(n -> "cluster_member 127.0.0.1:" + n.clusterPort)
                    .collect(Collectors.joining("\n"));
            for (Node node : cluster.nodes) {
                node.config = installation.writeConfig("node-" + node.name + ".conf", String.join("\n",
                        "listener " + node.mqttPort + " 127.0.0.1",
                        "allow_anonymous true",
                        "sys_interval 1",
                        "cluster_name itest",
                        "cluster_listener " + node.clusterPort + " 127.0.0.1",
                        members,
                        ""));
            }
            Node first = cluster.nodes.get(0);
            first.process.startAndAwait(first.config, first.mqttPort);
            first.process.awaitLog("Cluster 'itest' joined", JOIN_SECONDS);
            for (Node node : cluster.nodes.subList(1, SIZE)) {
                node.process.start("-c", node.config.toString());
            }
            for (Node node : cluster.nodes.subList(1, SIZE)) {
                node.process.awaitPort(node.mqttPort);
                node.process.awaitLog("Cluster 'itest' joined", JOIN_SECONDS);
            }
            first.process.awaitLog("Cluster member .* joined \\(" + SIZE + " member\\(s\\) now\\)", JOIN_SECONDS);
            for (int i = 0; i < SIZE; i++) { // backups in place: a node killed from now on loses nothing
                cluster.awaitSys(i, "state", "joined");
            }
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    Node node(int index) {
        return nodes.get(index);
    }

    /**
     * A connected {@code mosquitto_pub -l}: connecting first matters when a member is failing, since a CONNECT
     * claims its client id in the cluster and that waits for the member owning the id's partition.
     */
    static final class LinePublisher {
        private final Process process;
        private final String topic;
        private final StringBuffer output = new StringBuffer();
        private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);

        private LinePublisher(Process process, String topic) {
            this.process = process;
            this.topic = topic;
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                        process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                        if (line.contains("CONNACK")) {
                            connected.countDown();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            }, "mosquitto_pub reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Start {@code mosquitto_pub -l} at QoS 1 and wait for its CONNACK. */
        static LinePublisher connect(int mqttPort, String topic) throws Exception {
            // stdbuf: its debug lines (CONNACK) are block-buffered when stdout is not a terminal
            LinePublisher pub = new LinePublisher(new ProcessBuilder("stdbuf", "-oL", "mosquitto_pub", "-d", "-h",
                    "127.0.0.1", "-p", Integer.toString(mqttPort), "-t", topic, "-q", "1", "-l")
                    .redirectErrorStream(true).start(), topic);
            assertTrue(pub.connected.await(10, TimeUnit.SECONDS), "connected: " + pub.output);
            return pub;
        }

        /**
         * Send this many messages at once (all in flight together), then end and wait until every one is
         * acknowledged.
         *
         * @return the payloads, in order
         */
        List<String> publishAndEnd(int count) throws Exception {
            try {
                return publishPacedAndEnd(count, 0).get(2 * JOIN_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof AssertionError failed) {
                    throw failed;
                }
                throw e;
            }
        }

        /**
         * Send this many messages one by one, a pause between them (none: all in flight together), on a thread of
         * its own; then end and wait until every one is acknowledged.
         *
         * @return completes with the payloads, in order, once all were acknowledged
         */
        java.util.concurrent.CompletableFuture<List<String>> publishPacedAndEnd(int count, long pauseMillis) {
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                List<String> payloads = new ArrayList<>();
                try (java.io.Writer lines = new java.io.OutputStreamWriter(process.getOutputStream(),
                        java.nio.charset.StandardCharsets.UTF_8)) {
                    for (int i = 0; i < count; i++) {
                        payloads.add(topic + i);
                        lines.write(topic + i + "\n");
                        if (pauseMillis > 0) {
                            lines.flush();
                            Thread.sleep(pauseMillis); // the pace of a sensor, not synchronisation
                        }
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                try { // the end of its input ends mosquitto_pub once every message is acknowledged
                    assertTrue(process.waitFor(JOIN_SECONDS, TimeUnit.SECONDS), "every message acknowledged");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                assertEquals(0, process.exitValue(), output.toString());
                return payloads;
            });
        }
    }

    /** Wait until a node's {@code $SYS/broker/cluster/<topic>} holds the value. */
    void awaitSys(int node, String topic, String value) throws Exception {
        awaitSysOnPort(node(node).mqttPort, topic, value);
    }

    /** Wait until {@code $SYS/broker/cluster/<topic>} of the node listening on the MQTT port holds the value. */
    static void awaitSysOnPort(int mqttPort, String topic, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_SECONDS);
        List<String> seen = new ArrayList<>();
        try (MosquittoTools.Sub sys = MosquittoTools.sub(mqttPort, "-t", "$SYS/broker/cluster/" + topic)) {
            while (System.nanoTime() < deadline) {
                String line = sys.poll(1000); // <topic> <qos> <retain> <payload>
                if (line != null) {
                    String now = line.split(" ", 4)[3];
                    seen.add(now);
                    if (now.equals(value)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("$SYS/broker/cluster/" + topic + " of the node on port " + mqttPort
                + " never became '" + value + "'; seen: " + seen);
    }

    @Override
    public void close() throws Exception {
        // the others first: the installation's process owns the directory the others run from
        Throwable first = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).process.close();
            } catch (Exception | AssertionError e) { // the next ones still close
                first = first == null ? e : first;
            }
        }
        if (nodes.isEmpty()) {
            installation.close();
        }
        if (first instanceof Exception) {
            throw (Exception) first;
        } else if (first != null) {
            throw (AssertionError) first;
        }
    }
}
