package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may connect, publish, subscribe and receive under the dynamic-security plugin: the same clients, groups and
 * roles (set up with the same commands) on the real Mosquitto and on Culex, and a table of cases run with
 * {@code mosquitto_pub}/{@code mosquitto_sub -V 5} against both; each case must have the table's outcome on Mosquitto
 * and the same outcome (including the reason code) on Culex.
 * <p>
 * Outcomes: {@code connect} - the CONNACK accepts the connection; {@code publish} - the PUBACK reason code is below
 * 0x80; {@code subscribe} - the SUBACK grants the filter; {@code receive} - a message published by a client allowed
 * to publish anything reaches the user subscribed to the filter (ordered by a sentinel message after it);
 * {@code retained} - a retained message on the topic, published before, reaches the user subscribing to the filter
 * with a {@code +} for the topic's last level (ordered by a sentinel published after the subscription).
 */
class DynamicSecurityAclIT {

    /** The commands that make the same world on both brokers; each must succeed. */
    static final List<String> SETUP = List.of(
            "{'command':'createRole','rolename':'probe','acls':[{'acltype':'publishClientReceive','topic':'sentinel/#','allow':true},{'acltype':'subscribePattern','topic':'sentinel/#','allow':true}]}",
            "{'command':'createRole','rolename':'feeder','acls':[{'acltype':'publishClientSend','topic':'#','allow':true}]}",
            "{'command':'createRole','rolename':'sensors','acls':["
                    + "{'acltype':'publishClientSend','topic':'sensors/#','allow':true,'priority':1},"
                    + "{'acltype':'publishClientSend','topic':'sensors/secret/#','allow':false,'priority':5},"
                    + "{'acltype':'subscribePattern','topic':'sensors/#','allow':true},"
                    + "{'acltype':'publishClientReceive','topic':'sensors/private/#','allow':false,'priority':2},"
                    + "{'acltype':'publishClientReceive','topic':'sensors/public/#','allow':true},"
                    + "{'acltype':'unsubscribePattern','topic':'sensors/#','allow':false}]}",
            "{'command':'createRole','rolename':'literal','acls':["
                    + "{'acltype':'subscribeLiteral','topic':'lit/+','allow':true},"
                    + "{'acltype':'subscribeLiteral','topic':'lit/deny','allow':false},"
                    + "{'acltype':'subscribePattern','topic':'pat/+','allow':true},"
                    + "{'acltype':'subscribePattern','topic':'pat/no','allow':false,'priority':3}]}",
            "{'command':'createRole','rolename':'acl-prio','acls':["
                    + "{'acltype':'publishClientSend','topic':'p/#','allow':false,'priority':1},"
                    + "{'acltype':'publishClientSend','topic':'p/ok','allow':true,'priority':5}]}",
            "{'command':'createRole','rolename':'bob-allow','acls':[{'acltype':'publishClientSend','topic':'shared/#','allow':true}]}",
            "{'command':'createRole','rolename':'deny-shared','acls':[{'acltype':'publishClientSend','topic':'shared/#','allow':false},{'acltype':'publishClientSend','topic':'group/#','allow':true}]}",
            "{'command':'createRole','rolename':'carol-deny','acls':[{'acltype':'publishClientSend','topic':'c/#','allow':false}]}",
            "{'command':'createRole','rolename':'carol-allow','acls':[{'acltype':'publishClientSend','topic':'c/#','allow':true},{'acltype':'publishClientSend','topic':'d/#','allow':true}]}",
            "{'command':'createRole','rolename':'x-deny','acls':[{'acltype':'publishClientSend','topic':'x/#','allow':false}]}",
            "{'command':'createRole','rolename':'x-allow','acls':[{'acltype':'publishClientSend','topic':'x/#','allow':true},{'acltype':'publishClientSend','topic':'y/#','allow':true}]}",
            "{'command':'createRole','rolename':'anon-role','acls':[{'acltype':'publishClientSend','topic':'anon/#','allow':true},{'acltype':'subscribePattern','topic':'anon/#','allow':true}]}",
            "{'command':'createGroup','groupname':'restricted','roles':[{'rolename':'deny-shared','priority':9}]}",
            "{'command':'createGroup','groupname':'g-hi','roles':[{'rolename':'x-deny'}]}",
            "{'command':'createGroup','groupname':'g-lo','roles':[{'rolename':'x-allow'}]}",
            "{'command':'createGroup','groupname':'anon','roles':[{'rolename':'anon-role'},{'rolename':'probe'}]}",
            "{'command':'setAnonymousGroup','groupname':'anon'}",
            "{'command':'createClient','username':'feeder','password':'feeder-pw','roles':[{'rolename':'feeder'}]}",
            "{'command':'createClient','username':'alice','password':'alice-pw','roles':[{'rolename':'sensors'},{'rolename':'probe'},{'rolename':'literal'},{'rolename':'acl-prio'}]}",
            "{'command':'createClient','username':'bob','password':'bob-pw','roles':[{'rolename':'bob-allow','priority':1}],'groups':[{'groupname':'restricted'}]}",
            "{'command':'createClient','username':'carol','password':'carol-pw','roles':[{'rolename':'carol-allow','priority':1},{'rolename':'carol-deny','priority':10}]}",
            "{'command':'createClient','username':'dave','password':'dave-pw','roles':[{'rolename':'sensors'}]}",
            "{'command':'disableClient','username':'dave'}",
            "{'command':'createClient','username':'erin','password':'erin-pw','clientid':'erin-device','roles':[{'rolename':'sensors'}]}",
            "{'command':'createClient','username':'frank','password':'frank-pw','groups':[{'groupname':'g-lo','priority':1},{'groupname':'g-hi','priority':5}]}",
            "{'command':'createClient','username':'nopw'}");

    static final String CHANGED_DEFAULTS = "{'command':'setDefaultACLAccess','acls':["
            + "{'acltype':'publishClientSend','allow':true},{'acltype':'subscribe','allow':true},"
            + "{'acltype':'publishClientReceive','allow':false}]}";
    static final String ORIGINAL_DEFAULTS = "{'command':'setDefaultACLAccess','acls':["
            + "{'acltype':'publishClientSend','allow':false},{'acltype':'subscribe','allow':false},"
            + "{'acltype':'publishClientReceive','allow':true}]}";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static DynsecBrokers brokers;
    private static final Map<String, DynsecClient> ADMINS = new LinkedHashMap<>();
    private static final Map<Integer, Paho5Client> FEEDERS = new LinkedHashMap<>();
    private static boolean defaultsChanged;

    @BeforeAll
    static void startBoth() throws Exception {
        brokers = DynsecBrokers.start(true);
        for (DynsecBrokers.Side side : brokers.sides()) {
            DynsecClient admin = DynsecClient.connect(side.port, DynsecBrokers.ADMIN, DynsecBrokers.ADMIN_PASSWORD);
            ADMINS.put(side.name, admin);
            for (String command : SETUP) {
                JsonNode answer = admin.command(command.replace('\'', '"'));
                assertTrue(answer.path("error").isMissingNode(), side + ": " + command + " -> " + answer);
            }
            FEEDERS.put(side.port, connect(side.port, "feeder", "feeder-pw", null));
        }
    }

    @AfterAll
    static void stopBoth() throws Exception {
        for (Paho5Client feeder : FEEDERS.values()) {
            quit(feeder);
        }
        for (DynsecClient admin : ADMINS.values()) {
            admin.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    /** With the initial default access: publishClientSend deny, publishClientReceive allow, subscribe deny. */
    @ParameterizedTest(name = "{0}/{1}/{2} {3} {4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // user | password | clientid | operation | topic | expected
            "alice   | alice-pw | -           | connect   | -                            | allow",
            "alice   | wrong    | -           | connect   | -                            | deny",
            "alice   | ''       | -           | connect   | -                            | deny",
            "dave    | dave-pw  | -           | connect   | -                            | deny",
            "erin    | erin-pw  | erin-device | connect   | -                            | allow",
            "erin    | erin-pw  | other-id    | connect   | -                            | deny",
            "nopw    | -        | -           | connect   | -                            | deny",
            "nopw    | x        | -           | connect   | -                            | deny",
            "mallory | x        | -           | connect   | -                            | deny",
            "-       | -        | -           | connect   | -                            | allow",
            "admin   | admin-pw | -           | connect   | -                            | allow",
            "alice   | alice-pw | -           | publish   | sensors/a                    | allow",
            "alice   | alice-pw | -           | publish   | sensors/secret/x             | deny",
            "alice   | alice-pw | -           | publish   | other/x                      | deny",
            "alice   | alice-pw | -           | publish   | p/ok                         | allow",
            "alice   | alice-pw | -           | publish   | p/no                         | deny",
            "alice   | alice-pw | -           | publish   | $CONTROL/dynamic-security/v1 | deny",
            "erin    | erin-pw  | erin-device | publish   | sensors/a                    | allow",
            "bob     | bob-pw   | -           | publish   | shared/x                     | allow",
            "bob     | bob-pw   | -           | publish   | group/x                      | allow",
            "bob     | bob-pw   | -           | publish   | other/x                      | deny",
            "carol   | carol-pw | -           | publish   | c/x                          | deny",
            "carol   | carol-pw | -           | publish   | d/x                          | allow",
            "frank   | frank-pw | -           | publish   | x/1                          | deny",
            "frank   | frank-pw | -           | publish   | y/1                          | allow",
            "-       | -        | -           | publish   | anon/x                       | allow",
            "-       | -        | -           | publish   | sensors/a                    | deny",
            "-       | -        | -           | publish   | $CONTROL/dynamic-security/v1 | deny",
            "alice   | alice-pw | -           | subscribe | sensors/#                    | allow",
            "alice   | alice-pw | -           | subscribe | sensors/+/x                  | allow",
            "alice   | alice-pw | -           | subscribe | other/#                      | deny",
            "alice   | alice-pw | -           | subscribe | lit/+                        | allow",
            "alice   | alice-pw | -           | subscribe | lit/a                        | deny",
            "alice   | alice-pw | -           | subscribe | lit/deny                     | deny",
            "alice   | alice-pw | -           | subscribe | pat/a                        | allow",
            "alice   | alice-pw | -           | subscribe | pat/no                       | deny",
            "alice   | alice-pw | -           | subscribe | pat/#                        | deny",
            "alice   | alice-pw | -           | subscribe | $CONTROL/dynamic-security/#  | deny",
            "admin   | admin-pw | -           | subscribe | $CONTROL/dynamic-security/#  | allow",
            "-       | -        | -           | subscribe | anon/#                       | allow",
            "-       | -        | -           | subscribe | sensors/#                    | deny",
            "alice   | alice-pw | -           | receive   | sensors/a                    | allow",
            "alice   | alice-pw | -           | receive   | sensors/private/x            | deny",
            "alice   | alice-pw | -           | receive   | sensors/public/x             | allow",
            "-       | -        | -           | receive   | anon/x                       | allow",
            "admin   | admin-pw | -           | receive   | any/topic                    | allow",
            "alice   | alice-pw | -           | retained  | sensors/r1                   | allow",
            "alice   | alice-pw | -           | retained  | sensors/private/r1           | deny",
            "alice   | alice-pw | -           | retained  | sensors/public/r1            | allow",
            "-       | -        | -           | retained  | anon/r1                      | allow",
    })
    void withTheInitialDefaultAccess(String user, String password, String clientId, String operation, String topic,
            String expected) throws Exception {
        defaults(false);
        compare(user, password, clientId, operation, topic, expected);
    }

    /** With publishClientSend allow, publishClientReceive deny, subscribe allow by default; $CONTROL stays closed. */
    @ParameterizedTest(name = "{0}/{1}/{2} {3} {4} -> {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "alice   | alice-pw | -           | publish   | other/x                      | allow",
            "alice   | alice-pw | -           | publish   | sensors/secret/x             | deny",
            "alice   | alice-pw | -           | publish   | $CONTROL/dynamic-security/v1 | deny",
            "alice   | alice-pw | -           | publish   | $CONTROL/other               | deny",
            "carol   | carol-pw | -           | publish   | c/x                          | deny",
            "-       | -        | -           | publish   | other/x                      | allow",
            "-       | -        | -           | publish   | $CONTROL/dynamic-security/v1 | deny",
            "alice   | alice-pw | -           | subscribe | other/#                      | allow",
            "alice   | alice-pw | -           | subscribe | lit/deny                     | deny",
            "alice   | alice-pw | -           | subscribe | $CONTROL/dynamic-security/#  | deny",
            "alice   | alice-pw | -           | subscribe | #                            | allow",
            "-       | -        | -           | subscribe | $CONTROL/#                   | deny",
            "alice   | alice-pw | -           | receive   | sensors/a                    | deny",
            "alice   | alice-pw | -           | receive   | sensors/public/x             | allow",
            "-       | -        | -           | receive   | anon/x                       | deny",
            "admin   | admin-pw | -           | receive   | any/topic                    | allow",
            "alice   | alice-pw | -           | retained  | sensors/r2                   | deny",
            "alice   | alice-pw | -           | retained  | sensors/public/r2            | allow",
            "-       | -        | -           | retained  | anon/r2                      | deny",
            "dave    | dave-pw  | -           | connect   | -                            | deny",
    })
    void withChangedDefaultAccess(String user, String password, String clientId, String operation, String topic,
            String expected) throws Exception {
        defaults(true);
        compare(user, password, clientId, operation, topic, expected);
    }

    /** Mosquitto disconnects the connected clients of a user whose roles change, so that the new rules apply. */
    @Test
    void aConnectedClientWhoseRolesChangeIsDisconnected() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (DynsecBrokers.Side side : brokers.sides()) {
            DynsecClient admin = ADMINS.get(side.name);
            assertNoError(admin.command("{\"command\":\"createClient\",\"username\":\"kicked\",\"password\":\"k\"}"));
            Paho5Client client = connect(side.port, "kicked", "k", "kicked-1");
            try {
                assertNoError(admin.command("{\"command\":\"addClientRole\",\"username\":\"kicked\","
                        + "\"rolename\":\"probe\"}"));
                MqttDisconnectResponse response = client.awaitDisconnected();
                outcomes.add("disconnected, reason " + response.getReturnCode());
            } finally {
                client.close();
            }
        }
        assertEquals("disconnected", outcomes.get(0).split(",")[0], outcomes.get(0));
        assertEquals(outcomes.get(0), outcomes.get(outcomes.size() - 1), "culex like mosquitto");
    }

    private static void assertNoError(JsonNode answer) {
        assertTrue(answer.path("error").isMissingNode(), answer.toString());
    }

    private static void defaults(boolean changed) throws Exception {
        if (defaultsChanged == changed) {
            return;
        }
        for (DynsecClient admin : ADMINS.values()) {
            JsonNode answer = admin.command((changed ? CHANGED_DEFAULTS : ORIGINAL_DEFAULTS).replace('\'', '"'));
            assertTrue(answer.path("error").isMissingNode(), answer.toString());
        }
        defaultsChanged = changed;
    }

    private static void compare(String user, String password, String clientId, String operation, String topic,
            String expected) throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (DynsecBrokers.Side side : brokers.sides()) {
            outcomes.add(outcome(side.port, user, password, clientId, operation, topic));
        }
        assertEquals(expected, outcomes.get(0).split(" ")[0], "mosquitto itself: " + outcomes.get(0));
        if (outcomes.size() > 1) {
            assertEquals(outcomes.get(0), outcomes.get(1), "culex like mosquitto");
        }
    }

    static String outcome(int port, String user, String password, String clientId, String operation, String topic)
            throws Exception {
        List<String> args = DynsecBrokers.clientArgs(user, password, clientId);
        switch (operation) {
            case "receive":
                return receive(port, args, topic);
            case "retained":
                return receiveRetained(port, args, topic);
            default:
                return DynsecBrokers.access(port, user, password, clientId, operation, topic);
        }
    }

    /** The user subscribes to the topic (and a sentinel); the feeder publishes the topic, then the sentinel. */
    private static String receive(int port, List<String> args, String topic) throws Exception {
        String sentinel = "sentinel/" + SEQUENCE.incrementAndGet();
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("-R", "-q", "1", "-t", topic, "-t", sentinel));
        try (MosquittoTools.Sub sub = MosquittoTools.sub(port, all.toArray(String[]::new))) {
            Paho5Client feeder = FEEDERS.get(port);
            assertTrue(feeder.publish(topic, "message", 1, false)[0] < 0x80);
            assertTrue(feeder.publish(sentinel, "end", 1, false)[0] < 0x80);
            return firstBeforeSentinel(sub, topic + " 1 0 message", sentinel) + " receive";
        }
    }

    /**
     * The feeder leaves a retained message on the topic; the user subscribes to the filter with {@code +} for its
     * last level (and a sentinel), the feeder publishes the sentinel, and the retained message is cleared again.
     */
    private static String receiveRetained(int port, List<String> args, String topic) throws Exception {
        String sentinel = "sentinel/" + SEQUENCE.incrementAndGet();
        String filter = topic.substring(0, topic.lastIndexOf('/')) + "/+";
        Paho5Client feeder = FEEDERS.get(port);
        assertTrue(feeder.publish(topic, "kept", 1, true)[0] < 0x80);
        try {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("-q", "1", "-t", filter, "-t", sentinel));
            try (MosquittoTools.Sub sub = MosquittoTools.sub(port, all.toArray(String[]::new))) {
                assertTrue(feeder.publish(sentinel, "end", 1, false)[0] < 0x80);
                return firstBeforeSentinel(sub, topic + " 1 1 kept", sentinel) + " retained";
            }
        } finally {
            assertTrue(feeder.publish(topic, "", 1, true)[0] < 0x80, "the retained message is cleared");
        }
    }

    /**
     * @return "allow" if the expected line came before the sentinel's, "deny" if the sentinel came first and
     *     nothing followed it within a short wait (a message that comes late is as much a breach as an early one)
     */
    private static String firstBeforeSentinel(MosquittoTools.Sub sub, String expected, String sentinel)
            throws InterruptedException {
        String sentinelLine = sentinel + " 1 0 end";
        String first = sub.next();
        if (first.equals(sentinelLine)) {
            String late = sub.poll(300);
            assertNull(late, "nothing may arrive after the sentinel of a denied case");
            return "deny";
        }
        assertEquals(expected, first);
        assertEquals(sentinelLine, sub.next());
        return "allow";
    }

    static Paho5Client connect(int port, String user, String password, String clientId) throws MqttException {
        MqttConnectionOptions options = Paho5Client.options();
        if (user != null) {
            options.setUserName(user);
        }
        if (password != null) {
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        Paho5Client client = Paho5Client.create(port, clientId != null ? clientId : "acl-" + SEQUENCE.incrementAndGet(),
                false);
        try {
            return client.connect(options);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
    }

    /** A normal DISCONNECT (Paho5Client.close waits a second for the connection to drop). */
    static void quit(Paho5Client client) throws MqttException {
        if (client.client.isConnected()) {
            client.client.disconnect(0, null, null, 0, new MqttProperties()).waitForCompletion(10_000);
        }
        client.client.close(true);
    }
}
