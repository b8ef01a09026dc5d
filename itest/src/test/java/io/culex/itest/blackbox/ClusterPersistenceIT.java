package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A node with {@code persistence true} in a cluster: it is SIGKILLed, the other node adopts its persistent session
 * and queues more messages for it, and the node restarts with its disk store's older copy of the session. At join it
 * gives that copy up (the other member owns the session now), and the client, reconnecting to the restarted node,
 * gets the adopted copy: every message once.
 */
class ClusterPersistenceIT {

    @Test
    void aRestartedNodeGivesUpTheDiskCopyOfASessionTheClusterAdopted() throws Exception {
        try (CulexProcess a = CulexProcess.install()) {
            CulexProcess b = a.anotherProcess("node-b");
            CulexProcess aAgain = a.anotherProcess("node-a-again");
            try {
                int mqttA = CulexProcess.freePort();
                int mqttB = CulexProcess.freePort();
                int clusterA = CulexProcess.freePort();
                int clusterB = CulexProcess.freePort();
                String members = "cluster_member 127.0.0.1:" + clusterA + "\ncluster_member 127.0.0.1:" + clusterB;
                Path store = a.home().resolve("data-a");
                java.nio.file.Files.createDirectories(store);
                Path confA = a.writeConfig("a.conf", String.join("\n", "listener " + mqttA + " 127.0.0.1",
                        "allow_anonymous true", "persistence true", "persistence_location " + store + "/",
                        "cluster_name durable", "cluster_listener " + clusterA, members, ""));
                Path confB = a.writeConfig("b.conf", String.join("\n", "listener " + mqttB + " 127.0.0.1",
                        "allow_anonymous true", "cluster_name durable", "cluster_listener " + clusterB, members,
                        ""));
                a.startAndAwait(confA, mqttA);
                a.awaitLog("Cluster 'durable' joined", ClusterNodes.JOIN_SECONDS);
                b.startAndAwait(confB, mqttB);
                b.awaitLog("Cluster 'durable' joined", ClusterNodes.JOIN_SECONDS);
                ClusterNodes.awaitSysOnPort(mqttA, "state", "joined"); // A's partitions are backed up on B

                try (MosquittoTools.Sub sub = MosquittoTools.sub(mqttA, "-i", "durable", "-c", "-q", "1", "-t",
                        "orders/#")) {
                    // SUBACK: the session exists on A, on its disk and in the cluster
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    MosquittoTools.pub(mqttA, "-t", "orders/before", "-m", "before" + i, "-q", "1");
                    expected.add("before" + i);
                }
                a.kill();
                b.awaitLog("adopted 1 of its session", ClusterNodes.JOIN_SECONDS);
                for (int i = 0; i < 10; i++) { // queued in B's adopted copy only
                    MosquittoTools.pub(mqttB, "-t", "orders/after", "-m", "after" + i, "-q", "1");
                    expected.add("after" + i);
                }

                aAgain.startAndAwait(confA, mqttA); // restores the disk copy: the first 10 only
                aAgain.awaitLog("Cluster at join: 1 session\\(s\\) here belonged to other members",
                        ClusterNodes.JOIN_SECONDS);
                try (MosquittoTools.Sub resumed = MosquittoTools.sub(mqttA, "-i", "durable", "-c", "-q", "1", "-t",
                        "orders/#")) {
                    List<String> received = new ArrayList<>();
                    for (int i = 0; i < expected.size(); i++) {
                        String line = resumed.next();
                        received.add(line.substring(line.lastIndexOf(' ') + 1));
                    }
                    assertEquals(expected, received, "the adopted copy, with what was queued after the kill");
                    assertNull(resumed.poll(500), "each once");
                }
            } finally {
                aAgain.close();
                b.close();
            }
        }
    }
}
