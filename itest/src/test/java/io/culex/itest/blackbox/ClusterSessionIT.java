package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sessions in a three-node cluster, with Mosquitto's tools and Paho: a client id is owned by one node at a time, a
 * persistent session moves with its queued messages to the node its client reconnects to, and the sessions of a
 * node killed with SIGKILL resume on another with every message that node had acknowledged. The kill comes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSessionIT {

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

    /** Subscribe with a persistent session (QoS 1) and disconnect, leaving the session offline on that node. */
    private static void leaveOfflineSession(int node, String clientId, String filter) throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port(node), "-i", clientId, "-c", "-q", "1", "-t",
                filter)) {
            // SUBACK seen: the session holds the subscription; closing the process leaves it offline
        }
    }

    private static List<String> publishQos1(int node, String topic, int count) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add("m" + i);
            assertEquals(0, MosquittoTools.pub(port(node), "-t", topic, "-m", "m" + i, "-q", "1").exitCode,
                    "acknowledged");
        }
        return payloads;
    }

    /** Reconnect the persistent session on a node and read what it was sent, in order. */
    private static List<String> resume(int node, String clientId, String filter, int expected) throws Exception {
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port(node), "-i", clientId, "-c", "-q", "1", "-t",
                filter)) {
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < expected; i++) {
                String line = sub.next();
                payloads.add(line.substring(line.lastIndexOf(' ') + 1));
            }
            assertNull(sub.poll(500), "nothing more, nothing twice");
            return payloads;
        }
    }

    /** Wait until a node's $SYS says it received at least this many messages from other nodes in all. */
    private static void awaitReceived(int node, long atLeast) throws Exception {
        try (MosquittoTools.Sub sys = MosquittoTools.sub(port(node), "-t", "$SYS/broker/cluster/messages/received")) {
            long seen = -1;
            while (seen < atLeast) {
                String line = sys.next();
                seen = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
    }

    private static long received(int node) throws Exception {
        MosquittoTools.Result r = MosquittoTools.run("mosquitto_sub", port(node), "-t",
                "$SYS/broker/cluster/messages/received", "-C", "1", "-W", "10");
        return r.exitCode == 0 ? Long.parseLong(r.output.strip()) : 0;
    }

    @Test
    @Order(1)
    void aPersistentSessionMovesWithItsQueuedMessagesToTheNodeItsClientReconnectsTo() throws Exception {
        leaveOfflineSession(0, "mover", "jobs/#");
        long before = received(0);
        List<String> published = publishQos1(2, "jobs/x", 20); // published on C, queued on A
        awaitReceived(0, before + published.size());
        assertEquals(published, resume(1, "mover", "jobs/#", published.size()), "on B, every one once, in order");
        cluster.node(0).process.awaitLog("Session of mover released to cluster member");
        cluster.node(1).process.awaitLog("Session\\(s\\) \\[mover\\] moved from");
    }

    @Test
    @Order(2)
    void aClientConnectingToAnotherNodeTakesItsIdOver() throws Exception {
        try (WatchedClient first = WatchedClient.connect(port(0), "twice");
             WatchedClient second = WatchedClient.connect(port(2), "twice")) {
            assertTrue(first.awaitLost(10), "the connection on A is closed as a takeover");
            assertTrue(second.client().isConnected(), "the one on C goes on");
        }
    }

    @Test
    @Order(3)
    void aSessionMovingWhileMessagesArePublishedLosesNoAcknowledgedMessage() throws Exception {
        MovedUnderLoad move = moveUnderLoad("busy-mover", "stream/#", "stream/feed");
        move.assertEachOnce();
        assertEquals(move.published, move.received, "in order");
    }

    @Test
    @Order(4)
    void aShareGroupMemberMovingWhileMessagesArePublishedLosesNoAcknowledgedMessage() throws Exception {
        // the group's only member: C names A to serve the group until B's filter reaches it; A relays those
        MovedUnderLoad move = moveUnderLoad("share-mover", "$share/movers/shared/#", "shared/feed");
        move.assertEachOnce();
    }

    /** What a persistent session got that moved from A to B while C published to it. */
    private static final class MovedUnderLoad {
        final String clientId;
        final List<String> published;
        final List<String> received;

        MovedUnderLoad(String clientId, List<String> published, List<String> received) {
            this.clientId = clientId;
            this.published = published;
            this.received = received;
        }

        void assertEachOnce() throws InterruptedException {
            List<String> missing = new ArrayList<>(published);
            missing.removeAll(received);
            assertEquals(List.of(), missing, "acknowledged messages the moving session never got");
            List<String> twice = new ArrayList<>(received);
            published.forEach(twice::remove);
            assertEquals(List.of(), twice, "received twice; as received: " + received + "\nA:\n" + tail(0)
                    + "\nB:\n" + tail(1));
            // C went on sending to A until B's filter reached it: A relayed those (the case these tests are about)
            cluster.node(0).process.awaitLog("Messages for the session of " + clientId + " reach this node after "
                    + "its release: relaying them");
        }
    }

    /**
     * Leave a persistent session subscribed on A, have C publish 600 QoS 1 messages to it, and while they flow
     * reconnect the client to B: the session moves under the feed.
     */
    private static MovedUnderLoad moveUnderLoad(String clientId, String filter, String topic) throws Exception {
        leaveOfflineSession(0, clientId, filter);
        long before = received(0);
        String first = topic + "-first";
        List<String> published = new ArrayList<>(publishQos1(2, first, 1));
        awaitReceived(0, before + 1); // C routes the filter to A
        ClusterNodes.LinePublisher feed = ClusterNodes.LinePublisher.connect(port(2), topic);
        // 600: fewer than max_queued_messages (1000), which would drop the rest while the session is offline;
        // 10 ms apart: the feed lasts some 6 s, well past the move (which starts after the first 100)
        java.util.concurrent.CompletableFuture<List<String>> fed = feed.publishPacedAndEnd(600, 10);
        awaitReceived(0, before + 1 + 100); // the feed is flowing into the session on A
        MosquittoTools.Sub moved;
        try {
            moved = MosquittoTools.sub(port(1), "-i", clientId, "-c", "-q", "1", "-t", filter);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nA:\n" + tail(0) + "\nB:\n" + tail(1), e);
        }
        try (MosquittoTools.Sub sub = moved) {
            published.addAll(fed.get(120, java.util.concurrent.TimeUnit.SECONDS));
            List<String> got = new ArrayList<>();
            for (String line = sub.poll(10_000); line != null; line = sub.poll(2_000)) {
                got.add(line.substring(line.lastIndexOf(' ') + 1));
            }
            return new MovedUnderLoad(clientId, published, got);
        }
    }

    /** @return the end of a node's log, for a failure message */
    private static String tail(int node) {
        String log = cluster.node(node).process.log();
        try {
            java.nio.file.Path dir = java.nio.file.Paths.get("target", "cluster-logs");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("node-" + node + ".log"), log);
        } catch (java.io.IOException e) {
            // the tail below is still there
        }
        return log.substring(Math.max(0, log.length() - 6000));
    }

    @Test
    @Order(5)
    void theSessionsOfAKilledNodeResumeElsewhereWithEveryAcknowledgedMessage() throws Exception {
        leaveOfflineSession(0, "survivor", "alarm/#");
        List<String> published = new ArrayList<>(publishQos1(0, "alarm/fire", 30)); // acknowledged by A, queued on A
        // published on C: C's PUBACK waited until A had queued them and backed them up
        for (String payload : publishQos1(2, "alarm/smoke", 10)) {
            published.add(payload);
        }
        try (MosquittoTools.Sub wills = MosquittoTools.sub(port(2), "-t", "will/#", "-q", "1");
             MosquittoTools.Sub connected = MosquittoTools.sub(port(0), "-i", "vanishing", "-c", "-q", "1",
                     "-t", "nothing/here", "--will-topic", "will/vanishing", "--will-payload", "gone",
                     "--will-qos", "1")) {
            // a message through C reaches it: C's PUBACK waited for A's session copies, the will among them
            publishQos1(2, "nothing/here", 1);
            assertEquals("nothing/here 1 0 m0", connected.next());
            ClusterNodes.LinePublisher late = ClusterNodes.LinePublisher.connect(port(2), "alarm/late");
            cluster.node(0).process.kill();
            // published on C just after the kill: for A's session, which is adopted only after A is declared gone;
            // C holds them (and their PUBACKs) until then, and they reach the session where it went
            published.addAll(late.publishAndEnd(5));
            assertEquals(published, resume(1, "survivor", "alarm/#", published.size()),
                    "on B, every acknowledged message once, in order");
            cluster.node(1).process.awaitLog(
                    "adopted .* of its session\\(s\\)|Session\\(s\\) \\[survivor\\] moved");
            String will = wills.poll(20_000);
            assertEquals("will/vanishing 1 0 gone", will,
                    "the will of a persistent session whose node died is published by the node that adopts it"
                    + (will != null ? "" : "; B:\n" + cluster.node(1).process.log() + "\nC:\n"
                    + cluster.node(2).process.log()));
            assertNull(wills.poll(1000), "once");
        }
    }
}
