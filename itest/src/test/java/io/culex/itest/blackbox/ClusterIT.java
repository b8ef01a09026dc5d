package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes as one broker, seen with Mosquitto's own tools: what is published on one node reaches the subscribers
 * of the others (QoS 0/1/2, wildcards, retained messages, order), once, and each node shows the cluster in
 * {@code $SYS/broker/cluster/...}.
 *
 * <p>A node learns another's new subscription asynchronously (as in every clustered MQTT broker), so a test first
 * waits until the subscription is known where it publishes: it publishes probes until one arrives, and the
 * assertions then ignore probes.
 */
class ClusterIT {

    private static final String PROBE = "probe-";
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

    private static int port(int node) {
        return cluster.node(node).mqttPort;
    }

    /** Publish probes on a node until the subscriber sees one: its subscription is then known there. */
    private static void awaitRoute(MosquittoTools.Sub sub, int publishingNode, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; System.nanoTime() < deadline; i++) {
            MosquittoTools.pub(port(publishingNode), "-t", topic, "-m", PROBE + i);
            String line = sub.poll(250);
            while (line != null) {
                if (line.contains(PROBE)) {
                    return;
                }
                line = sub.poll(50);
            }
        }
        throw new AssertionError("node " + publishingNode + " never routed " + topic + " to the subscriber:\n"
                + sub.output());
    }

    /** @return the next message line that is not a probe */
    private static String next(MosquittoTools.Sub sub) throws InterruptedException {
        String line;
        do {
            line = sub.next();
        } while (line.contains(PROBE));
        return line;
    }

    @Test
    void aMessagePublishedOnOneNodeReachesTheSubscribersOfTheOthersAtEachQos() throws Exception {
        try (MosquittoTools.Sub onB = MosquittoTools.sub(port(1), "-t", "plant/+/temp", "-q", "2");
             MosquittoTools.Sub onC = MosquittoTools.sub(port(2), "-t", "plant/#", "-q", "1")) {
            awaitRoute(onB, 0, "plant/probe/temp");
            awaitRoute(onC, 0, "plant/probe");
            for (int qos = 0; qos <= 2; qos++) {
                assertEquals(0, MosquittoTools.pub(port(0), "-t", "plant/hall/temp", "-m", "q" + qos, "-q",
                        Integer.toString(qos)).exitCode);
                assertEquals("plant/hall/temp " + qos + " 0 q" + qos, next(onB));
                assertEquals("plant/hall/temp " + Math.min(qos, 1) + " 0 q" + qos, next(onC),
                        "delivered at the lower of the message's and the subscription's QoS");
            }
            MosquittoTools.pub(port(0), "-t", "plant/hall/humidity", "-m", "only-c", "-q", "1");
            assertEquals("plant/hall/humidity 1 0 only-c", next(onC));
            assertNull(nextOrNull(onB, 300), "B's filter does not match: nothing forwarded to it");
        }
    }

    @Test
    void anMqtt5PublisherHearsNoMatchingSubscribersOnlyWhenNoNodeHasOne() throws Exception {
        try (Paho5Client publisher = Paho5Client.connect(port(0), "lonely-publisher")) {
            assertArrayEquals(new int[] {0x10}, publisher.publish("lonely/x", "nobody", 1, false),
                    "no node has a subscriber: PUBACK 0x10, as on one broker");
            try (MosquittoTools.Sub onB = MosquittoTools.sub(port(1), "-t", "lonely/#", "-q", "1")) {
                awaitRoute(onB, 0, "lonely/probe");
                assertArrayEquals(new int[] {0x00}, publisher.publish("lonely/x", "somebody", 1, false),
                        "a subscriber on another node is a matching subscriber");
                assertEquals("lonely/x 1 0 somebody", next(onB));
            }
        }
    }

    @Test
    void mqtt5PropertiesAndRetainAsPublishedCrossNodes() throws Exception {
        try (MosquittoTools.Sub onB = MosquittoTools.subFormatted("%t|%r|%C|%R|%P|%p", "-h", "127.0.0.1", "-p",
                Integer.toString(port(1)), "-V", "5", "-t", "props/#", "-q", "1", "--retain-as-published")) {
            awaitRoute(onB, 0, "props/probe");
            assertEquals(0, MosquittoTools.pub(port(0), "-V", "5", "-t", "props/x", "-m", "with-props", "-q", "1",
                    "-r", "-D", "publish", "content-type", "text/plain", "-D", "publish", "response-topic",
                    "reply/here", "-D", "publish", "user-property", "site", "plant-7").exitCode);
            assertEquals("props/x|1|text/plain|reply/here|site:plant-7|with-props", next(onB),
                    "content type, response topic and user property crossed; the retain flag as published");
        }
        MosquittoTools.pub(port(0), "-t", "props/x", "-m", "", "-r"); // clear the retained message again
    }

    @Test
    void oneNodesMessagesArriveInOrderAndOnceEvenWhereItHasSubscribersToo() throws Exception {
        try (MosquittoTools.Sub onA = MosquittoTools.sub(port(0), "-t", "seq/#", "-q", "1");
             MosquittoTools.Sub onB = MosquittoTools.sub(port(1), "-t", "seq/#", "-q", "1")) {
            awaitRoute(onB, 0, "seq/probe");
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                published.add("m" + i);
            }
            // one mosquitto_pub, one connection: the messages of one publisher, each line a message
            Process pub = new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port(0)),
                    "-t", "seq/n", "-q", "1", "-l").redirectErrorStream(true).start();
            pub.getOutputStream().write((String.join("\n", published) + "\n").getBytes());
            pub.getOutputStream().close();
            assertTrue(pub.waitFor(30, TimeUnit.SECONDS) && pub.exitValue() == 0, "mosquitto_pub -l finished");
            for (MosquittoTools.Sub sub : List.of(onA, onB)) {
                List<String> received = new ArrayList<>();
                for (int i = 0; i < published.size(); i++) {
                    received.add(next(sub).substring("seq/n 1 0 ".length()));
                }
                assertEquals(published, received, "in order, none lost");
                assertNull(nextOrNull(sub, 300), "and none twice: the node's own subscriber is not sent a copy "
                        + "back from the cluster");
            }
        }
    }

    @Test
    void aShareGroupGetsEachMessageOnceAcrossTheCluster() throws Exception {
        try (MosquittoTools.Sub onB = MosquittoTools.sub(port(1), "-t", "$share/workers/work", "-q", "1");
             MosquittoTools.Sub onC = MosquittoTools.sub(port(2), "-t", "$share/workers/work", "-q", "1")) {
            // probes until both members were served once: then node A knows both
            boolean bSeen = false;
            boolean cSeen = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; !(bSeen && cSeen) && System.nanoTime() < deadline; i++) {
                MosquittoTools.pub(port(0), "-t", "work", "-m", PROBE + i, "-q", "1");
                bSeen |= onB.poll(100) != null; // a probe
                cSeen |= onC.poll(100) != null;
            }
            assertTrue(bSeen && cSeen, "both members were reached");
            int count = 40;
            for (int i = 0; i < count; i++) {
                assertEquals(0, MosquittoTools.pub(port(0), "-t", "work", "-m", "job" + i, "-q", "1").exitCode);
            }
            List<String> jobs = new ArrayList<>();
            int onBCount = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (jobs.size() < count && System.nanoTime() < end) {
                String b = nextJob(onB);
                if (b != null) {
                    jobs.add(b);
                    onBCount++;
                }
                String c = nextJob(onC);
                if (c != null) {
                    jobs.add(c);
                }
            }
            assertEquals(count, jobs.size(), "every job reached the group: " + jobs);
            assertEquals(count, new java.util.HashSet<>(jobs).size(), "once each: " + jobs);
            assertTrue(onBCount > 0 && onBCount < count, "the nodes took turns: " + onBCount + " on B");
            assertNull(nextOrNull(onB, 300));
            assertNull(nextOrNull(onC, 300));
        }
    }

    private static String nextJob(MosquittoTools.Sub sub) throws InterruptedException {
        String line = nextOrNull(sub, 50);
        return line == null ? null : line.substring(line.lastIndexOf(' ') + 1);
    }

    @Test
    void retainedMessagesAreClusterWide() throws Exception {
        assertEquals(0, MosquittoTools.pub(port(2), "-t", "state/door", "-m", "open", "-r", "-q", "1").exitCode);
        for (int node = 0; node < ClusterNodes.SIZE; node++) {
            assertEquals("state/door 0 1 open", awaitRetained(node, "state/door", "open"),
                    "a new subscriber on node " + node + " gets it");
        }
        assertEquals(0, MosquittoTools.pub(port(0), "-t", "state/door", "-m", "", "-r", "-q", "1").exitCode);
        for (int node = 0; node < ClusterNodes.SIZE; node++) {
            assertEquals(null, awaitRetained(node, "state/door", null), "cleared on node " + node);
        }
    }

    /**
     * Subscribe anew on a node until its retained message for the topic is the expected one (replication is
     * asynchronous); {@code null} expects none.
     *
     * @return the message line, or {@code null} for none
     */
    private static String awaitRetained(int node, String topic, String payload) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            MosquittoTools.Result result = MosquittoTools.run("mosquitto_sub", port(node), "-t", topic, "-C", "1",
                    "-W", "1", "-F", "%t %q %r %p");
            last = result.exitCode == 0 ? result.output.strip() : null;
            if (payload == null ? last == null : last != null && last.endsWith(" " + payload)) {
                return last;
            }
        }
        throw new AssertionError("node " + node + " still has " + last + " retained for " + topic);
    }

    @Test
    void everyNodeShowsTheClusterInSys() throws Exception {
        List<String> expected = List.of("$SYS/broker/cluster/members 0 1 " + ClusterNodes.SIZE,
                "$SYS/broker/cluster/name 0 1 itest", "$SYS/broker/cluster/state 0 1 joined");
        for (int node = 0; node < ClusterNodes.SIZE; node++) {
            try (MosquittoTools.Sub sys = MosquittoTools.sub(port(node), "-t", "$SYS/broker/cluster/members",
                    "-t", "$SYS/broker/cluster/name", "-t", "$SYS/broker/cluster/state")) {
                java.util.Map<String, String> latest = new java.util.TreeMap<>();
                while (!latest.values().containsAll(expected)) { // retained values first, then changes
                    String line = sys.next();
                    latest.put(line.substring(0, line.indexOf(' ')), line);
                }
                assertTrue(latest.values().containsAll(expected), "node " + node + ": " + latest);
            }
            try (MosquittoTools.Sub members = MosquittoTools.sub(port(node), "-t",
                    "$SYS/broker/cluster/member/+/clients")) {
                java.util.Set<String> seen = new java.util.TreeSet<>();
                while (seen.size() < ClusterNodes.SIZE) { // every member's clients, each member writes its own
                    String line = members.next();
                    seen.add(line.substring(0, line.indexOf(' ')));
                }
                for (ClusterNodes.Node member : cluster.nodes) {
                    assertTrue(seen.contains("$SYS/broker/cluster/member/127.0.0.1:" + member.clusterPort
                            + "/clients"), seen.toString());
                }
            }
        }
    }

    private static String nextOrNull(MosquittoTools.Sub sub, long millis) throws InterruptedException {
        String line = sub.poll(millis);
        while (line != null && line.contains(PROBE)) {
            line = sub.poll(millis);
        }
        return line;
    }
}
