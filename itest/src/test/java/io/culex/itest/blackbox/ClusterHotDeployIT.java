package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The cluster feature uninstalled and installed again on a running node, through the web console, with clients
 * connected: the node leaves the cluster cleanly (the other member sees it go, the node goes on alone) and joins
 * again; its clients stay connected throughout.
 */
class ClusterHotDeployIT {

    private static final String USER = "admin";
    private static final String PASSWORD = "hot-deploy";

    @Test
    void uninstallingTheClusterLeavesItAndInstallingItJoinsAgainWhileClientsStayConnected() throws Exception {
        try (CulexProcess a = CulexProcess.install()) {
            CulexProcess b = a.anotherProcess("node-b");
            try {
                int mqttA = CulexProcess.freePort();
                int mqttB = CulexProcess.freePort();
                int clusterA = CulexProcess.freePort();
                int clusterB = CulexProcess.freePort();
                int http = CulexProcess.freePort();
                String members = "cluster_member 127.0.0.1:" + clusterA + "\ncluster_member 127.0.0.1:" + clusterB;
                Path confA = a.writeConfig("a.conf", String.join("\n", "listener " + mqttA + " 127.0.0.1",
                        "allow_anonymous true", "cluster_name hot", "cluster_listener " + clusterA, members, ""));
                Path confB = a.writeConfig("b.conf", String.join("\n", "listener " + mqttB + " 127.0.0.1",
                        "allow_anonymous true", "cluster_name hot", "cluster_listener " + clusterB, members,
                        "admin_listener " + http, "admin_user " + USER + " " + PASSWORD, ""));
                a.startAndAwait(confA, mqttA);
                a.awaitLog("Cluster 'hot' joined", ClusterNodes.JOIN_SECONDS);
                b.startAndAwait(confB, mqttB);
                b.awaitLog("Cluster 'hot' joined", ClusterNodes.JOIN_SECONDS);
                b.awaitLog("Web console available");

                try (WatchedClient connected = WatchedClient.connect(mqttB, "stays-connected");
                     MosquittoTools.Sub onB = MosquittoTools.sub(mqttB, "-t", "hot/#")) {
                    assertTrue(routed(mqttA, onB), "A forwards to B's subscriber");

                    AdminHttp admin = new AdminHttp(http);
                    assertTrue(awaitData(admin, "\"members\":\\s*\"2\""), "the console shows both members");
                    a.awaitLog("Cluster member .* left", () -> b.awaitLog("Left cluster 'hot'",
                            () -> assertEquals(200, featureAction(admin, "feature-uninstall").statusCode())));
                    assertTrue(connected.client().isConnected(), "the client on B stayed connected");
                    assertTrue(awaitData(admin, "\"cluster\":\\s*null"), "the console shows no cluster");
                    MosquittoTools.pub(mqttA, "-t", "hot/after-leave", "-m", "not-forwarded");
                    MosquittoTools.pub(mqttB, "-t", "hot/local", "-m", "local");
                    assertEquals("hot/local 0 0 local", onB.next(), "B serves its clients alone; A no longer "
                            + "forwards to it (its message would have come first)");

                    b.awaitLog("Cluster 'hot' joined",
                            () -> assertEquals(200, featureAction(admin, "feature-install").statusCode()));
                    assertTrue(routed(mqttA, onB), "after joining again A forwards to B once more");
                    assertTrue(connected.client().isConnected(), "the client on B is still connected");
                    assertTrue(b.log().contains("Feature cluster uninstalled"), b.log());
                }
            } finally {
                b.close();
            }
        }
    }

    /** Poll the MQTT page's data until it matches (the page polls it the same way). */
    private static boolean awaitData(AdminHttp admin, String regex) throws Exception {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = admin.get("/system/console/mqtt/data.json", USER, PASSWORD).body();
            if (pattern.matcher(body).find()) {
                return true;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the console data never matched " + regex + ":\n" + body);
    }

    private static HttpResponse<String> featureAction(AdminHttp admin, String action) throws Exception {
        String token = admin.mqttPageToken(USER, PASSWORD);
        return AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(admin.request("/system/console/mqtt"), USER,
                PASSWORD).header("X-Culex-Csrf-Token", token).header("Origin", admin.origin()),
                "action=" + action + "&name=cluster"));
    }

    /** Publish probes on A until B's subscriber receives one. */
    private static boolean routed(int fromPort, MosquittoTools.Sub sub) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; System.nanoTime() < deadline; i++) {
            MosquittoTools.pub(fromPort, "-t", "hot/probe", "-m", "probe-" + i);
            String line = sub.poll(250);
            if (line != null && line.contains("probe-")) {
                while (sub.poll(200) != null) {
                    // late probes
                }
                return true;
            }
        }
        assertNull("never routed", sub.output());
        return false;
    }
}
