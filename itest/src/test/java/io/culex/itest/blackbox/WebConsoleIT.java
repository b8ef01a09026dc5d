package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin listener over HTTP, against the assembled broker: authentication against an {@code admin_user} hash
 * made by {@code culex-passwd}, CSRF protection of requests that change something, {@code /metrics} following
 * known activity, the console refused on a non-loopback address without credentials, no HTTP port without
 * {@code admin_listener}.
 */
class WebConsoleIT {

    private static final String USER = "operator";
    private static final String PASSWORD = "s3cret pass";
    private static final String CONSOLE = "/system/console";

    private static CulexProcess culex;
    private static int mqttPort;
    private static AdminHttp admin;

    @BeforeAll
    static void startBrokerWithHashedAdminUser() throws Exception {
        culex = CulexProcess.install();
        Path passwords = culex.home().resolve("conf/admin.passwd");
        Process tool = new ProcessBuilder(culex.home().resolve("bin/culex-passwd").toString(), "-c", "-b",
                passwords.toString(), USER, PASSWORD).redirectErrorStream(true).start();
        assertEquals(0, tool.waitFor(), new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String hash = Files.readString(passwords).trim().substring(USER.length() + 1);
        assertTrue(hash.startsWith("$7$"), hash);
        mqttPort = CulexProcess.freePort();
        int httpPort = CulexProcess.freePort();
        Path conf = culex.writeConfig("admin.conf", String.join("\n",
                "listener " + mqttPort + " 127.0.0.1",
                "allow_anonymous true",
                "admin_listener " + httpPort,
                "admin_user " + USER + " " + hash,
                ""));
        culex.startAndAwait(conf, mqttPort);
        admin = new AdminHttp(httpPort);
        awaitConsole(admin, USER, PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (culex != null) {
            culex.close();
        }
    }

    /** The admin feature installs after the broker reports it runs: wait for the console to answer. */
    static void awaitConsole(AdminHttp http, String user, String password) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = -1;
        while (System.nanoTime() < deadline) {
            try {
                status = http.get(CONSOLE + "/bundles", user, password).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (ConnectException notYet) {
                status = -1;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the console did not answer 200 within 30 s (last " + status + "):\n" + culex.log());
    }

    @Test
    void everyConsolePageNeedsTheConfiguredCredential() throws Exception {
        for (String page : List.of("/bundles", "/components", "/configMgr", "/logs", "/mqtt", "/mqtt/data.json")) {
            HttpResponse<String> anonymous = admin.get(CONSOLE + page, null, null);
            assertEquals(401, anonymous.statusCode(), page);
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="),
                    page);
            assertEquals(401, admin.get(CONSOLE + page, USER, "wrong").statusCode(), page);
            assertEquals(401, admin.get(CONSOLE + page, "admin", "admin").statusCode(),
                    page + ": no default credential once admin_user is set");
            assertEquals(200, admin.get(CONSOLE + page, USER, PASSWORD).statusCode(), page);
        }
        assertTrue(admin.get(CONSOLE + "/mqtt", USER, PASSWORD).body().contains("id=\"culex-mqtt\""),
                "the MQTT page is the console's mqtt label");
    }

    @Test
    void requestsThatChangeSomethingNeedTheConsolesOriginAndThePagesToken() throws Exception {
        String token = admin.mqttPageToken(USER, PASSWORD);
        WatchedClient client = WatchedClient.connect(mqttPort, "kick-me");
        String kick = "action=kick&id=kick-me";

        HttpResponse<String> noOrigin = AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(
                admin.request(CONSOLE + "/mqtt"), USER, PASSWORD).header("X-Culex-Csrf-Token", token), kick));
        assertEquals(403, noOrigin.statusCode(), "no Origin nor Referer: " + noOrigin.body());
        HttpResponse<String> foreign = AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(
                admin.request(CONSOLE + "/mqtt"), USER, PASSWORD).header("X-Culex-Csrf-Token", token)
                .header("Origin", "http://attacker.example"), kick));
        assertEquals(403, foreign.statusCode(), "another site's page");
        HttpResponse<String> noToken = AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(
                admin.request(CONSOLE + "/mqtt"), USER, PASSWORD).header("Origin", admin.origin()), kick));
        assertEquals(403, noToken.statusCode(), "the console's origin but not the page's token");
        HttpResponse<String> standardPage = AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(
                admin.request(CONSOLE + "/bundles"), USER, PASSWORD), "action=refreshPackages"));
        assertEquals(403, standardPage.statusCode(), "the standard pages' POSTs are checked too");
        assertTrue(client.client().isConnected(), "nothing refused reached the broker");

        HttpResponse<String> allowed = AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(
                admin.request(CONSOLE + "/mqtt"), USER, PASSWORD).header("X-Culex-Csrf-Token", token)
                .header("Referer", admin.origin() + CONSOLE + "/mqtt"), kick));
        assertEquals(200, allowed.statusCode(), allowed.body());
        assertTrue(client.awaitLost(10), "the kicked client sees the disconnect");
        client.close();
    }

    /** The MQTT page's other actions: a retained message deleted, a bridge added, changed and removed. */
    @Test
    void retainedMessagesAndBridgesAreManagedFromThePage() throws Exception {
        assertEquals(0, MosquittoTools.pub(mqttPort, "-t", "console/retained/a", "-m", "kept", "-r").exitCode);
        assertEquals(0, MosquittoTools.pub(mqttPort, "-t", "console/retained/b", "-m", "gone", "-r").exitCode);
        awaitData("\"topic\":\"console/retained/b\"", true, "?retained=console/retained/%23");
        assertEquals(200, action("action=delete-retained&topic=console/retained/b").statusCode());
        awaitData("\"topic\":\"console/retained/b\"", false, "?retained=console/retained/%23");
        try (MosquittoTools.Sub sub = MosquittoTools.sub(mqttPort, "-t", "console/retained/#")) {
            assertEquals("console/retained/a 0 1 kept", sub.next(), "the other retained message stays");
            assertEquals(0, MosquittoTools.pub(mqttPort, "-t", "console/retained/z", "-m", "sentinel").exitCode);
            assertEquals("console/retained/z 0 0 sentinel", sub.next(), "and the deleted one is not delivered");
        }

        int closed = CulexProcess.freePort();
        String add = "action=bridge-add&name=console-bridge&addresses=127.0.0.1:" + closed
                + "&topics=" + java.net.URLEncoder.encode("sensors/# out 1", StandardCharsets.UTF_8);
        assertEquals(200, action(add).statusCode());
        awaitData("sensors/# out 1", true, "");
        String edit = "action=bridge-edit&name=console-bridge&addresses=127.0.0.1:" + closed
                + "&topics=" + java.net.URLEncoder.encode("alarms/# both 2", StandardCharsets.UTF_8);
        assertEquals(200, action(edit).statusCode());
        awaitData("alarms/# both 2", true, "");
        assertEquals(200, action("action=bridge-remove&name=console-bridge").statusCode());
        awaitData("console-bridge", false, "");
    }

    private static HttpResponse<String> action(String form) throws Exception {
        String token = admin.mqttPageToken(USER, PASSWORD);
        return AdminHttp.send(AdminHttp.form(AdminHttp.withCredential(admin.request(CONSOLE + "/mqtt"), USER,
                PASSWORD).header("X-Culex-Csrf-Token", token).header("Origin", admin.origin()), form));
    }

    /** Poll the page's data until it does (or no longer does) contain the text. */
    private static void awaitData(String text, boolean present, String query) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String body = "";
        while (System.nanoTime() < deadline) {
            body = admin.get(CONSOLE + "/mqtt/data.json" + query, USER, PASSWORD).body();
            if (body.contains(text) == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError((present ? "no " : "still ") + text + " in " + body);
    }

    @Test
    void metricsFollowKnownActivity() throws Exception {
        String before = admin.get("/metrics", null, null).body();
        long connected = metric(before, "culex_clients_connected");
        long received = metric(before, "culex_publish_messages_received_total");
        List<WatchedClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(WatchedClient.connect(mqttPort, "metrics-" + i));
        }
        for (int i = 0; i < 10; i++) {
            clients.get(0).client().publish("metrics/test", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        // the counters are read at request time; a QoS 1 publish returns after PUBACK, so all 10 are counted
        HttpResponse<String> after = admin.get("/metrics", null, null);
        assertEquals(200, after.statusCode());
        assertTrue(after.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertEquals(connected + 3, metric(after.body(), "culex_clients_connected"), after.body());
        assertEquals(received + 10, metric(after.body(), "culex_publish_messages_received_total"), after.body());
        assertTrue(after.body().contains("# TYPE culex_publish_messages_received_total counter"));
        for (WatchedClient client : clients) {
            client.close();
        }
    }

    @Test
    void aNonLoopbackAdminListenerWithoutAdminUserRefusesTheConsoleAndSaysWhy() throws Exception {
        try (CulexProcess open = CulexProcess.install()) {
            int port = CulexProcess.freePort();
            int httpPort = CulexProcess.freePort();
            Path conf = open.writeConfig("open.conf", String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    "admin_listener " + httpPort + " 0.0.0.0",
                    ""));
            open.startAndAwait(conf, port);
            open.awaitLog("Error: the web console is not started: admin_listener binds 0\\.0\\.0\\.0, which is not a "
                    + "loopback address, and no admin_user is configured");
            open.awaitPort(httpPort); // Jetty listens once Config Admin hands it the admin listener
            AdminHttp http = new AdminHttp(httpPort);
            assertEquals(200, http.get("/metrics", null, null).statusCode(), "the HTTP service itself runs");
            assertEquals(404, http.get(CONSOLE + "/bundles", "admin", "admin").statusCode(),
                    "no console, not even with the default credential");
            assertFalse(open.log().contains("Web console available"), open.log());
        }
    }

    @Test
    void withoutAdminListenerNoHttpPortIsOpened() throws Exception {
        try (CulexProcess plain = CulexProcess.install()) {
            int port = CulexProcess.freePort();
            Path conf = plain.writeConfig("plain.conf", "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
            plain.startAndAwait(conf, port);
            plain.awaitLog("culex version .* running");
            assertEquals(Set.of(port), ListeningPorts.of(plain.pid()), "only the MQTT listener");
            assertFalse(plain.log().contains("Feature admin"), plain.log());
        }
        assertEquals(Set.of(mqttPort, admin.port()), ListeningPorts.of(culex.pid()),
                "with admin_listener: the MQTT listener and the admin listener");
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in\n" + text);
        }
        return Long.parseLong(m.group(1));
    }


}
