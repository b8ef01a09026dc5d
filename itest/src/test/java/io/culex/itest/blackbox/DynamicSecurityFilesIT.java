package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code dynamic-security.json} between the two brokers: a file written by the real Mosquitto (after commands) works
 * in Culex exactly as in Mosquitto, a file written by Culex works in Mosquitto, and a Culex killed with SIGKILL in the
 * middle of a burst of changes leaves a file that parses and holds every change it had answered.
 */
class DynamicSecurityFilesIT {

    /** Changes made on one broker before its file is handed to the other; each must succeed. */
    static final List<String> CHANGES = List.of(
            "{'command':'createRole','rolename':'writer','acls':[{'acltype':'publishClientSend','topic':'w/#','allow':true},"
                    + "{'acltype':'publishClientSend','topic':'w/secret','allow':false,'priority':5},"
                    + "{'acltype':'subscribePattern','topic':'w/#','allow':true}]}",
            "{'command':'createRole','rolename':'reader','textname':'Reader','acls':[{'acltype':'subscribeLiteral','topic':'r/+','allow':true}]}",
            "{'command':'createGroup','groupname':'writers','textdescription':'they write','roles':[{'rolename':'writer','priority':2}]}",
            "{'command':'createClient','username':'u1','password':'u1-pw','groups':[{'groupname':'writers'}]}",
            "{'command':'createClient','username':'u2','password':'u2-pw','clientid':'u2-id','roles':[{'rolename':'writer'},{'rolename':'reader','priority':1}]}",
            "{'command':'createClient','username':'u3','password':'u3-pw','textname':'Disabled'}",
            "{'command':'disableClient','username':'u3'}",
            "{'command':'setClientPassword','username':'u1','password':'u1-new'}",
            "{'command':'createGroup','groupname':'guests','roles':[{'rolename':'reader'}]}",
            "{'command':'setAnonymousGroup','groupname':'guests'}",
            "{'command':'setDefaultACLAccess','acls':[{'acltype':'unsubscribe','allow':false}]}");

    /** user | password | client id | operation | topic | outcome on Mosquitto ("-" for null) */
    static final List<String> CASES = List.of(
            "admin | admin-pw | - | connect | - | allow",
            "u1 | u1-new | - | connect | - | allow",
            "u1 | u1-pw | - | connect | - | deny",
            "u2 | u2-pw | u2-id | connect | - | allow",
            "u2 | u2-pw | other | connect | - | deny",
            "u3 | u3-pw | - | connect | - | deny",
            "u1 | u1-new | - | publish | w/x | allow",
            "u1 | u1-new | - | publish | w/secret | deny",
            "u1 | u1-new | - | publish | r/x | deny",
            "u2 | u2-pw | u2-id | subscribe | r/+ | allow",
            "u2 | u2-pw | u2-id | subscribe | r/x | deny",
            "- | - | - | subscribe | r/+ | allow",
            "- | - | - | publish | w/x | deny");

    private Path dir;

    @BeforeEach
    void directory() throws Exception {
        dir = Files.createTempDirectory("dynsec-files-");
    }

    @AfterEach
    void removeDirectory() throws Exception {
        DynsecBrokers.deleteTree(dir);
    }

    @Test
    void aFileWrittenByMosquittoWorksInCulexAsInMosquitto() throws Exception {
        Path file = DynsecBrokers.init(dir.resolve("written-by-mosquitto.json"));
        int port = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = DynsecBrokers.startMosquitto(dir, file, port, true)) {
            apply(port);
        }
        assertBothBehaveAlike(file);
    }

    @Test
    void aFileWrittenByCulexWorksInMosquitto() throws Exception {
        Path file = DynsecBrokers.init(dir.resolve("written-by-culex.json"));
        int port = CulexProcess.freePort();
        try (CulexProcess culex = DynsecBrokers.startCulex(file, port, true)) {
            apply(port);
        }
        assertTrue(DynsecClient.JSON.readTree(file.toFile()).toString().contains("guests"), "Culex saved the changes");
        assertBothBehaveAlike(file);
    }

    /** Mosquitto and Culex on copies of the file: the same clients listed, the same answers to the cases. */
    private void assertBothBehaveAlike(Path file) throws Exception {
        try (DynsecBrokers brokers = DynsecBrokers.start(dir.resolve("both"), file, file, true)) {
            List<JsonNode> lists = new ArrayList<>();
            for (DynsecBrokers.Side side : brokers.sides()) {
                try (DynsecClient admin = DynsecClient.connect(side.port, DynsecBrokers.ADMIN,
                        DynsecBrokers.ADMIN_PASSWORD)) {
                    JsonNode clients = admin.command("{\"command\":\"listClients\",\"verbose\":true}");
                    lists.add(clients);
                    assertEquals(List.of("admin", "u1", "u2", "u3"), names(clients), side.name);
                    lists.add(admin.command("{\"command\":\"listGroups\",\"verbose\":true}"));
                    lists.add(admin.command("{\"command\":\"listRoles\",\"verbose\":true}"));
                    lists.add(admin.command("{\"command\":\"getAnonymousGroup\"}"));
                    lists.add(admin.command("{\"command\":\"getDefaultACLAccess\"}"));
                }
            }
            if (brokers.culex != null) {
                assertEquals(lists.subList(0, 5), lists.subList(5, 10), "culex lists what mosquitto lists");
            }
            for (String line : CASES) {
                String[] c = line.split(" *\\| *");
                List<String> outcomes = new ArrayList<>();
                for (DynsecBrokers.Side side : brokers.sides()) {
                    outcomes.add(DynsecBrokers.access(side.port, value(c[0]), value(c[1]), value(c[2]), c[3],
                            value(c[4])));
                }
                assertEquals(c[5], outcomes.get(0).split(" ")[0], line + ": mosquitto itself: " + outcomes.get(0));
                assertEquals(outcomes.get(0), outcomes.get(outcomes.size() - 1), line + ": culex like mosquitto");
            }
        }
    }

    /**
     * A burst of 200 createClient commands, sent without waiting for the answers; Culex is killed (SIGKILL) once it
     * has answered 100 of them. The file parses, holds at least every client whose creation was answered (Culex saves
     * before it answers), and a Culex started on it lets the admin in and lists exactly the clients in the file.
     */
    @Test
    void killedInTheMiddleOfABurstCulexLeavesAFileItStartsWith() throws Exception {
        Path file = DynsecBrokers.init(dir.resolve("crash.json"));
        int port = CulexProcess.freePort();
        Set<String> answered = new TreeSet<>();
        try (CulexProcess culex = DynsecBrokers.startCulex(file, port, false)) {
            DynsecClient admin = DynsecClient.connect(port, DynsecBrokers.ADMIN, DynsecBrokers.ADMIN_PASSWORD);
            try {
                for (int i = 0; i < 200; i++) {
                    admin.publish("{\"commands\":[{\"command\":\"createClient\",\"username\":\"burst-" + i
                            + "\",\"password\":\"pw-" + i + "\",\"correlationData\":\"burst-" + i + "\"}]}", 0);
                }
                while (answered.size() < 100) {
                    String response = admin.poll(10_000);
                    assertTrue(response != null, "100 answers within 10 s each; got " + answered);
                    JsonNode r = DynsecClient.JSON.readTree(response).path("responses").path(0);
                    assertTrue(r.path("error").isMissingNode(), response);
                    answered.add(r.path("correlationData").asText());
                }
                culex.kill();
            } finally {
                admin.close();
            }
        }
        JsonNode saved = DynsecClient.JSON.readTree(file.toFile());
        Set<String> inFile = new TreeSet<>(names(saved.path("clients")));
        assertTrue(inFile.contains("admin"), inFile.toString());
        assertTrue(inFile.containsAll(answered), "answered " + answered + ", in the file " + inFile);
        System.out.println("crash test: " + answered.size() + " answered before the kill, " + (inFile.size() - 1)
                + " of 200 in the file");

        int again = CulexProcess.freePort();
        try (CulexProcess culex = DynsecBrokers.startCulex(file, again, false);
                DynsecClient admin = DynsecClient.connect(again, DynsecBrokers.ADMIN,
                        DynsecBrokers.ADMIN_PASSWORD)) {
            JsonNode listed = admin.command("{\"command\":\"listClients\"}");
            assertEquals(inFile, new TreeSet<>(names(listed)), listed.toString());
            String one = answered.iterator().next();
            String number = one.substring("burst-".length());
            assertEquals("allow connect", DynsecBrokers.access(again, one, "pw-" + number, null, "connect", null),
                    "an answered client logs in after the restart");
            assertTrue(culex.process().isAlive());
        }
    }

    /**
     * A file that is not valid JSON. Mosquitto 2.0.11 logs "Error loading Dynamic security plugin config: File is
     * not valid JSON." and runs on with an empty configuration (default access only, anonymous clients as
     * allow_anonymous says), and its next change would replace the file. Culex deliberately differs (see
     * bundles/dynsec/README.md): the plugin is required by the configuration but cannot run on the file, so every
     * client is refused ("server unavailable") and the file is left as it is for the administrator to repair.
     */
    @Test
    void aBrokenFileIsNeverUsedNorOverwritten() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"clients\":[");
        int mosquittoPort = CulexProcess.freePort();
        int culexPort = CulexProcess.freePort();
        try (MosquittoBroker mosquitto = DynsecBrokers.startMosquitto(dir, file, mosquittoPort, true);
                CulexProcess culex = DynsecBrokers.startCulex(file, culexPort, true, false)) {
            culex.awaitLog("Error loading Dynamic security plugin config");
            if (MosquittoBroker.isVersion2011()) {
                // what 2.0.11 does, for the record; Culex differs on purpose and other versions may too
                assertTrue(mosquitto.log().contains(
                        "Error loading Dynamic security plugin config: File is not valid JSON."), mosquitto.log());
                assertEquals("allow connect", DynsecBrokers.access(mosquittoPort, null, null, null, "connect", null),
                        "mosquitto runs on without its rules");
            }
            assertEquals("deny connect 136", DynsecBrokers.access(culexPort, null, null, null, "connect", null),
                    "culex refuses everyone: server unavailable");
            assertEquals("deny connect 136",
                    DynsecBrokers.access(culexPort, DynsecBrokers.ADMIN, DynsecBrokers.ADMIN_PASSWORD, null,
                            "connect", null));
            assertEquals("{\"clients\":[", Files.readString(file), "the file is left as it is");
        }
    }

    /**
     * Without plugin_opt_config_file Mosquitto warns and leaves the plugin inactive: nothing is required, the broker
     * runs as if the line were not there. The same line in Culex gives the same warning and the same broker.
     */
    @Test
    void withoutAConfigFileThePluginWarnsAndStaysInactive() throws Exception {
        int port = CulexProcess.freePort();
        try (CulexProcess culex = CulexProcess.install()) {
            String conf = "listener " + port + " 127.0.0.1\nallow_anonymous true\nplugin " + DynsecBrokers.PLUGIN + "\n";
            culex.startAndAwait(culex.writeConfig("no-file.conf", conf), port);
            culex.awaitLog("Warning: Dynamic security plugin has no plugin_opt_config_file defined\\. "
                    + "The plugin will not be activated\\.");
            assertEquals("allow connect", DynsecBrokers.access(port, null, null, null, "connect", null));
            assertEquals("allow puback 16", DynsecBrokers.access(port, null, null, null, "publish", "a/b"),
                    "accepted (0x10: no subscribers): no dynamic security rules apply");
        }
    }

    private static void apply(int port) throws Exception {
        try (DynsecClient admin = DynsecClient.connect(port, DynsecBrokers.ADMIN, DynsecBrokers.ADMIN_PASSWORD)) {
            for (String change : CHANGES) {
                JsonNode answer = admin.command(change.replace('\'', '"'));
                assertTrue(answer.path("error").isMissingNode(), change + " -> " + answer);
            }
        }
    }

    /** The usernames in a listClients answer (plain or verbose) or in a file's "clients" array. */
    static List<String> names(JsonNode node) {
        JsonNode clients = node.has("data") ? node.path("data").path("clients") : node;
        List<String> names = new ArrayList<>();
        for (JsonNode client : clients) {
            names.add(client.isTextual() ? client.asText() : client.path("username").asText());
        }
        return names;
    }

    private static String value(String cell) {
        return cell.equals("-") ? null : cell;
    }
}
