package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network split in a three-node cluster, and its healing. Node A is frozen with SIGSTOP for longer than the
 * heartbeat timeout: B and C stop hearing it and remove it, and once it runs again it finds B and C gone from its
 * own view: each side took the other for dead, as in a split (loopback offers no other way to cut a link without
 * network namespaces). Messages sent to A while it was failing are held by their node until A's session is
 * adopted, then delivered to it there; the split is reported in {@code $SYS}; the oldest member of the larger part
 * adopts A's persistent session and queues what is published meanwhile; the parts merge, the larger part's owner
 * wins, A gives up its stale copy, and the client gets every message acknowledged during the split, once, on A.
 */
class ClusterSplitIT {

    private static ClusterNodes cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterNodes.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSplitIsReportedAndHealsWithTheLargerPartsOwnerWinning() throws Exception {
        ClusterNodes.Node a = cluster.node(0);
        try (MosquittoTools.Sub sub = MosquittoTools.sub(a.mqttPort, "-i", "parted", "-c", "-q", "1", "-t",
                "split/#")) {
            // SUBACK seen: the session is on A; closing the process leaves it offline there
        }
        List<String> published;
        ClusterNodes.LinePublisher early = ClusterNodes.LinePublisher.connect(cluster.node(2).mqttPort, "split/early");
        a.process.signal("STOP");
        try {
            // published on C while the others do not know yet that A is gone: sent to A, never acknowledged by it;
            // C holds them (and their PUBACKs) until A's session is adopted, then they reach it there
            published = new ArrayList<>(early.publishAndEnd(5));
            cluster.node(2).process.awaitLog("5 message\\(s\\) sent to cluster member .* were not acknowledged "
                    + "before it left");
            cluster.node(2).process.awaitLog("5 message\\(s\\) for the sessions of cluster member .* were sent to "
                    + "their new places");
            // until A is declared gone, a claim of a client id whose partition A owned waits for A (a CONNACK too)
            awaitLogOnBorC("Cluster member .* left: adopted 1 of its session\\(s\\)");
            cluster.awaitSys(1, "state", "incomplete");
            cluster.awaitSys(1, "members/missing", "127.0.0.1:" + a.clusterPort);
            published.addAll(publishQos1(2, "split/x", 10));
            assertEquals(0, MosquittoTools.pub(cluster.node(2).mqttPort, "-t", "parted/state", "-m", "during",
                    "-r", "-q", "1").exitCode, "a retained message set during the split");
        } finally {
            a.process.signal("CONT");
        }
        a.process.awaitLog("merged after a network split", ClusterNodes.JOIN_SECONDS);
        a.process.awaitLog("after the merge: 1 session\\(s\\) here belonged to other members and were released",
                ClusterNodes.JOIN_SECONDS);
        cluster.awaitSys(0, "members", "3");
        cluster.awaitSys(0, "state", "joined");
        cluster.awaitSys(1, "state", "joined");
        MosquittoTools.Result retained = MosquittoTools.run("mosquitto_sub", a.mqttPort, "-t", "parted/state",
                "-C", "1", "-W", "10");
        assertEquals("during", retained.output.strip(), "the retained message of the larger part reached A");
        try (MosquittoTools.Sub sub = MosquittoTools.sub(a.mqttPort, "-i", "parted", "-c", "-q", "1", "-t",
                "split/#")) {
            List<String> received = new ArrayList<>();
            for (int i = 0; i < published.size(); i++) {
                String line = sub.next();
                received.add(line.substring(line.lastIndexOf(' ') + 1));
            }
            assertEquals(published, received, "every message acknowledged during the split, in order");
            assertNull(sub.poll(500), "nothing more, nothing twice");
        }
    }

    private static List<String> publishQos1(int node, String topic, int count) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add("m" + i);
            assertEquals(0, MosquittoTools.pub(cluster.node(node).mqttPort, "-t", topic, "-m", "m" + i, "-q", "1")
                    .exitCode, "acknowledged");
        }
        return payloads;
    }

    /** Wait for a log line on B or C (whichever is the oldest member adopts). */
    private static void awaitLogOnBorC(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ClusterNodes.JOIN_SECONDS);
        while (System.nanoTime() < deadline) {
            for (int node = 1; node < ClusterNodes.SIZE; node++) {
                if (pattern.matcher(cluster.node(node).process.log()).find()) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("neither B nor C logged " + regex + ":\nB:\n" + cluster.node(1).process.log()
                + "\nC:\n" + cluster.node(2).process.log());
    }
}
