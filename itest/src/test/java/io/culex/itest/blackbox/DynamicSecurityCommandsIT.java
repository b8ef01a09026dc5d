package io.culex.itest.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code $CONTROL/dynamic-security/v1} JSON API, differentially: the same script of requests (all 31 commands,
 * good and bad arguments, and malformed payloads) goes to the real Mosquitto 2.0 with its dynamic-security plugin
 * and to Culex, each starting from a copy of the same {@code mosquitto_ctrl dynsec init} file; every answer of
 * Culex must equal Mosquitto's as a JSON tree, and afterwards both saved files must be equal too (apart from the
 * random password hashes and salts).
 * <p>
 * Known deliberate differences, kept out of the script because Mosquitto 2.0.11 is wrong there; the tests after the
 * script check each broker's own answer (Mosquitto's quirk only when the installed version is 2.0.11, see
 * {@link MosquittoBroker#isVersion2011()}):
 * <ul>
 * <li>{@code deleteGroup} of the group that is the anonymous group: Mosquitto answers success but keeps a dangling
 * reference, {@code getAnonymousGroup} then answers {@code "Internal error"} and the next command that saves the
 * file crashes the broker (use after free). Culex refuses: {@code "Deleting the anonymous group is forbidden"}. Only
 * Culex is asked.</li>
 * <li>{@code deleteRole} of a role that a client or a group still has: Mosquitto answers success but keeps dangling
 * references: later answers list the role as {@code ""} or with garbage, and the saved file can hold invalid UTF-8.
 * Culex removes the role from its clients and groups. Only Culex is asked.</li>
 * <li>{@code addClientRole} of a role the client already has: Mosquitto answers {@code "Internal error"}, Culex
 * {@code "Client is already in this role"} (the wording of addGroupRole's {@code "Group is already in this
 * role"}).</li>
 * <li>{@code setDefaultACLAccess} with {@code "access":"allow"|"deny"} instead of {@code "allow":true|false}: this is
 * what {@code mosquitto_ctrl dynsec setDefaultACLAccess} 2.0.11 sends; the 2.0.11 plugin answers success and changes
 * nothing (so the mosquitto_ctrl command has no effect), Culex applies it.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DynamicSecurityCommandsIT {

    /**
     * The script: each entry is one payload, with {@code '} standing for {@code "}. An entry that starts with
     * {@code {'command'} is one command object and is sent as {@code {"commands":[entry]}}.
     */
    static final List<String> SCRIPT = List.of(
            // payloads that are not a list of commands
            "RAW not json",
            "RAW ",
            "{}",
            "{'commands':{}}",
            "{'commands':'createClient'}",
            "{'commands':[]}",
            "[{'command':'getDefaultACLAccess'}]",
            "{'commands':[1,'x',null,[],{}]}",
            "{'commands':[{'command':5}]}",
            "{'commands':[{'command':'noSuchCommand'}]}",
            "{'commands':[{'command':'getDefaultACLAccess','correlationData':'abc-1'}]}",
            "{'commands':[{'command':'noSuchCommand','correlationData':'abc-2'}]}",
            "{'commands':[{'command':'getClient','username':'nobody','correlationData':'abc-3'}]}",
            "{'commands':[{'command':'getDefaultACLAccess','correlationData':5}]}",
            "{'commands':[{'command':'listClients'},{'command':'listRoles'},{'command':'getClient','username':'admin'},{'command':'bogus'},7]}",

            // default ACL access
            "{'command':'getDefaultACLAccess'}",
            "{'command':'setDefaultACLAccess','acls':[{'acltype':'publishClientSend','allow':true},{'acltype':'subscribe','allow':true}]}",
            "{'command':'getDefaultACLAccess'}",
            "{'command':'setDefaultACLAccess','acls':[{'acltype':'bogus','allow':false}]}",
            "{'command':'setDefaultACLAccess','acls':[{'acltype':'unsubscribe','allow':'no'}]}",
            "{'command':'setDefaultACLAccess','acls':[{'allow':false}]}",
            "{'command':'setDefaultACLAccess','acls':'publishClientSend'}",
            "{'command':'setDefaultACLAccess'}",
            "{'command':'setDefaultACLAccess','acls':[]}",
            "{'command':'getDefaultACLAccess'}",
            "{'command':'setDefaultACLAccess','acls':[{'acltype':'publishClientSend','allow':false},{'acltype':'subscribe','allow':false},{'acltype':'unsubscribe','allow':false}]}",
            "{'command':'getDefaultACLAccess'}",

            // roles
            "{'command':'createRole','rolename':'r1','textname':'Role one','textdescription':'the first','acls':[{'acltype':'publishClientSend','topic':'a/#','allow':true,'priority':3},{'acltype':'subscribePattern','topic':'a/#','allow':true},{'acltype':'publishClientReceive','topic':'a/secret','allow':false,'priority':9}]}",
            "{'command':'createRole','rolename':'r1'}",
            "{'command':'createRole'}",
            "{'command':'createRole','rolename':5}",
            "{'command':'createRole','rolename':''}",
            "{'command':'createRole','rolename':'bad1','textname':5}",
            "{'command':'createRole','rolename':'bad2','acls':'x'}",
            "{'command':'createRole','rolename':'bad3','acls':[{'acltype':'nonsense','topic':'a','allow':true}]}",
            "{'command':'createRole','rolename':'bad4','acls':[{'acltype':'publishClientSend','allow':true}]}",
            "{'command':'createRole','rolename':'bad5','acls':[{'acltype':'publishClientSend','topic':'a/#/b','allow':true}]}",
            "{'command':'createRole','rolename':'r2'}",
            "{'command':'createRole','rolename':'r3','textname':'three'}",
            "{'command':'createRole','rolename':'r4','acls':[{'acltype':'unsubscribeLiteral','topic':'u/x','allow':false},{'acltype':'unsubscribePattern','topic':'u/#','allow':true,'priority':-2},{'acltype':'subscribeLiteral','topic':'s/+','allow':true,'priority':1}]}",
            "{'command':'getRole','rolename':'r1'}",
            "{'command':'getRole','rolename':'r4'}",
            "{'command':'getRole','rolename':'bad1'}",
            "{'command':'getRole','rolename':'nope'}",
            "{'command':'getRole'}",
            "{'command':'getRole','rolename':7}",
            "{'command':'listRoles'}",
            "{'command':'listRoles','verbose':true}",
            "{'command':'listRoles','verbose':false,'count':2}",
            "{'command':'listRoles','count':2,'offset':1}",
            "{'command':'listRoles','verbose':true,'count':1,'offset':2}",
            "{'command':'listRoles','offset':100}",
            "{'command':'listRoles','count':'x'}",
            "{'command':'listRoles','verbose':'yes'}",
            "{'command':'modifyRole','rolename':'r2','textname':'Role two','textdescription':'second'}",
            "{'command':'getRole','rolename':'r2'}",
            "{'command':'modifyRole','rolename':'r3','acls':[{'acltype':'publishClientSend','topic':'c/#','allow':true,'priority':2}]}",
            "{'command':'getRole','rolename':'r3'}",
            "{'command':'modifyRole','rolename':'r3','acls':[{'acltype':'wrong','topic':'c/#','allow':true}]}",
            "{'command':'getRole','rolename':'r3'}",
            "{'command':'modifyRole','rolename':'nope','textname':'x'}",
            "{'command':'modifyRole'}",
            "{'command':'modifyRole','rolename':'r3','textname':5}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'publishClientReceive','topic':'b/+','allow':false,'priority':1}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'publishClientSend','topic':'b/+','allow':true}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'publishClientReceive','topic':'b/+','allow':true}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'subscribeLiteral','topic':'b/#'}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'subscribePattern','topic':'b/#','allow':'true'}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'subscribePattern','topic':'z/#','allow':true,'priority':'high'}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'nonsense','topic':'b/#','allow':true}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'publishClientSend','allow':true}",
            "{'command':'addRoleACL','rolename':'r2','acltype':'publishClientSend','topic':'b/#/c','allow':true}",
            "{'command':'addRoleACL','rolename':'r2','topic':'b/c','allow':true}",
            "{'command':'addRoleACL','rolename':'nope','acltype':'publishClientSend','topic':'b/c','allow':true}",
            "{'command':'addRoleACL','acltype':'publishClientSend','topic':'b/c','allow':true}",
            "{'command':'getRole','rolename':'r2'}",
            "{'command':'removeRoleACL','rolename':'r2','acltype':'publishClientSend','topic':'b/+'}",
            "{'command':'removeRoleACL','rolename':'r2','acltype':'publishClientSend','topic':'b/+'}",
            "{'command':'removeRoleACL','rolename':'r2','acltype':'nonsense','topic':'b/+'}",
            "{'command':'removeRoleACL','rolename':'r2','acltype':'publishClientReceive'}",
            "{'command':'removeRoleACL','rolename':'r2','topic':'b/+'}",
            "{'command':'removeRoleACL','rolename':'nope','acltype':'publishClientReceive','topic':'b/+'}",
            "{'command':'removeRoleACL','acltype':'publishClientReceive','topic':'b/+'}",
            "{'command':'getRole','rolename':'r2'}",

            // clients
            "{'command':'createClient','username':'c1','password':'p1','clientid':'cid1','textname':'Client one','textdescription':'the first','roles':[{'rolename':'r1','priority':2},{'rolename':'r2'}]}",
            "{'command':'createClient','username':'c1','password':'other'}",
            "{'command':'createClient'}",
            "{'command':'createClient','username':5}",
            "{'command':'createClient','username':''}",
            "{'command':'createClient','username':'bad1','password':5}",
            "{'command':'createClient','username':'bad2','clientid':5}",
            "{'command':'createClient','username':'bad3','textname':5}",
            "{'command':'createClient','username':'bad4','roles':[{'rolename':'nope'}]}",
            "{'command':'createClient','username':'bad5','groups':[{'groupname':'nope'}]}",
            "{'command':'createClient','username':'bad6','roles':'r1'}",
            "{'command':'createClient','username':'c2'}",
            "{'command':'createClient','username':'c3','password':'p3','clientid':''}",
            "{'command':'createClient','username':'c4','password':'p4','roles':[{'rolename':'r4','priority':-1},{'rolename':'r3','priority':7}]}",
            "{'command':'getClient','username':'c1'}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'getClient','username':'c4'}",
            "{'command':'getClient','username':'bad4'}",
            "{'command':'getClient','username':'nope'}",
            "{'command':'getClient'}",
            "{'command':'getClient','username':['c1']}",
            "{'command':'listClients'}",
            "{'command':'listClients','verbose':true}",
            "{'command':'listClients','count':2}",
            "{'command':'listClients','count':2,'offset':1}",
            "{'command':'listClients','verbose':true,'count':1,'offset':1}",
            "{'command':'listClients','offset':100}",
            "{'command':'listClients','offset':-1}",
            "{'command':'listClients','count':0}",
            "{'command':'modifyClient','username':'c2','textname':'Client two','textdescription':'second','clientid':'cid2'}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'modifyClient','username':'c2','roles':[{'rolename':'r3','priority':1},{'rolename':'r2','priority':4}]}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'modifyClient','username':'c2','roles':[{'rolename':'nope'}]}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'modifyClient','username':'c2','password':'p2'}",
            "{'command':'modifyClient','username':'c2','password':5}",
            "{'command':'modifyClient','username':'nope','textname':'x'}",
            "{'command':'modifyClient'}",
            "{'command':'setClientPassword','username':'c3','password':'p3-new'}",
            "{'command':'setClientPassword','username':'c3'}",
            "{'command':'setClientPassword','username':'c3','password':5}",
            "{'command':'setClientPassword','username':'c3','password':''}",
            "{'command':'setClientPassword','username':'nope','password':'x'}",
            "{'command':'setClientPassword','password':'x'}",
            "{'command':'setClientId','username':'c3','clientid':'cid3'}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'setClientId','username':'c3'}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'setClientId','username':'c3','clientid':5}",
            "{'command':'setClientId','username':'c3','clientid':''}",
            "{'command':'setClientId','username':'nope','clientid':'x'}",
            "{'command':'setClientId','clientid':'x'}",
            "{'command':'addClientRole','username':'c3','rolename':'r2','priority':5}",
            "{'command':'addClientRole','username':'c3','rolename':'r1'}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'addClientRole','username':'c3','rolename':'nope'}",
            "{'command':'addClientRole','username':'nope','rolename':'r1'}",
            "{'command':'addClientRole','username':'c3'}",
            "{'command':'addClientRole','rolename':'r1'}",
            "{'command':'addClientRole','username':'c3','rolename':'r3','priority':'x'}",
            "{'command':'removeClientRole','username':'c3','rolename':'r2'}",
            "{'command':'removeClientRole','username':'c3','rolename':'r2'}",
            "{'command':'removeClientRole','username':'c3','rolename':'nope'}",
            "{'command':'removeClientRole','username':'nope','rolename':'r1'}",
            "{'command':'removeClientRole','username':'c3'}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'disableClient','username':'c2'}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'disableClient','username':'c2'}",
            "{'command':'listClients','verbose':true}",
            "{'command':'enableClient','username':'c2'}",
            "{'command':'enableClient','username':'c2'}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'disableClient','username':'nope'}",
            "{'command':'enableClient','username':'nope'}",
            "{'command':'disableClient'}",
            "{'command':'enableClient','username':3}",
            "{'command':'disableClient','username':'c4'}",

            // groups
            "{'command':'createGroup','groupname':'g1','textname':'Group one','textdescription':'the first','roles':[{'rolename':'r1','priority':1},{'rolename':'r4'}]}",
            "{'command':'createGroup','groupname':'g1'}",
            "{'command':'createGroup'}",
            "{'command':'createGroup','groupname':5}",
            "{'command':'createGroup','groupname':''}",
            "{'command':'createGroup','groupname':'bad1','roles':[{'rolename':'nope'}]}",
            "{'command':'createGroup','groupname':'bad2','textname':5}",
            "{'command':'createGroup','groupname':'g2'}",
            "{'command':'createGroup','groupname':'g3','textname':'anonymous'}",
            "{'command':'getGroup','groupname':'g1'}",
            "{'command':'getGroup','groupname':'bad1'}",
            "{'command':'getGroup','groupname':'nope'}",
            "{'command':'getGroup'}",
            "{'command':'listGroups'}",
            "{'command':'listGroups','verbose':true}",
            "{'command':'listGroups','count':1,'offset':1}",
            "{'command':'listGroups','verbose':true,'count':5,'offset':2}",
            "{'command':'addGroupClient','groupname':'g2','username':'c1','priority':3}",
            "{'command':'addGroupClient','groupname':'g1','username':'c1'}",
            "{'command':'addGroupClient','groupname':'g2','username':'c2','priority':-1}",
            "{'command':'addGroupClient','groupname':'g2','username':'c1'}",
            "{'command':'addGroupClient','groupname':'nope','username':'c1'}",
            "{'command':'addGroupClient','groupname':'g2','username':'nope'}",
            "{'command':'addGroupClient','groupname':'g2'}",
            "{'command':'addGroupClient','username':'c1'}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'getClient','username':'c1'}",
            "{'command':'removeGroupClient','groupname':'g2','username':'c2'}",
            "{'command':'removeGroupClient','groupname':'g2','username':'c2'}",
            "{'command':'removeGroupClient','groupname':'nope','username':'c2'}",
            "{'command':'removeGroupClient','groupname':'g2','username':'nope'}",
            "{'command':'removeGroupClient','groupname':'g2'}",
            "{'command':'addGroupRole','groupname':'g2','rolename':'r2','priority':4}",
            "{'command':'addGroupRole','groupname':'g2','rolename':'r3'}",
            "{'command':'addGroupRole','groupname':'g2','rolename':'r2'}",
            "{'command':'addGroupRole','groupname':'g2','rolename':'nope'}",
            "{'command':'addGroupRole','groupname':'nope','rolename':'r2'}",
            "{'command':'addGroupRole','groupname':'g2'}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'removeGroupRole','groupname':'g2','rolename':'r3'}",
            "{'command':'removeGroupRole','groupname':'g2','rolename':'r3'}",
            "{'command':'removeGroupRole','groupname':'g2','rolename':'nope'}",
            "{'command':'removeGroupRole','groupname':'nope','rolename':'r2'}",
            "{'command':'removeGroupRole','rolename':'r2'}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'modifyGroup','groupname':'g2','textname':'Group two','textdescription':'second'}",
            "{'command':'modifyGroup','groupname':'g2','roles':[{'rolename':'r4','priority':2},{'rolename':'r1'}]}",
            "{'command':'modifyGroup','groupname':'g2','clients':[{'username':'c3','priority':1},{'username':'c4'}]}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'modifyGroup','groupname':'g2','roles':[{'rolename':'nope'}]}",
            "{'command':'modifyGroup','groupname':'g2','clients':[{'username':'nope'}]}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'modifyGroup','groupname':'nope','textname':'x'}",
            "{'command':'modifyGroup'}",
            "{'command':'getAnonymousGroup'}",
            "{'command':'setAnonymousGroup','groupname':'g3'}",
            "{'command':'getAnonymousGroup'}",
            "{'command':'setAnonymousGroup','groupname':'nope'}",
            "{'command':'setAnonymousGroup'}",
            "{'command':'setAnonymousGroup','groupname':5}",
            "{'command':'getAnonymousGroup'}",
            "{'command':'listGroups','verbose':true}",
            "{'command':'getClient','username':'c3'}",
            "{'command':'getClient','username':'c4'}",

            // deletions, and what they leave behind
            "{'command':'deleteGroup','groupname':'g1'}",
            "{'command':'deleteGroup','groupname':'g1'}",
            "{'command':'deleteGroup'}",
            "{'command':'deleteGroup','groupname':5}",
            "{'command':'getClient','username':'c1'}",
            "{'command':'createRole','rolename':'r5','acls':[{'acltype':'publishClientSend','topic':'x','allow':true}]}",
            "{'command':'deleteRole','rolename':'r5'}",
            "{'command':'deleteRole','rolename':'r5'}",
            "{'command':'deleteRole'}",
            "{'command':'deleteRole','rolename':'admin-typo'}",
            "{'command':'getClient','username':'c2'}",
            "{'command':'createClient','username':'c5','password':'p5','groups':[{'groupname':'g2','priority':2}]}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'deleteClient','username':'c5'}",
            "{'command':'deleteClient','username':'c5'}",
            "{'command':'deleteClient'}",
            "{'command':'deleteClient','username':false}",
            "{'command':'getGroup','groupname':'g2'}",
            "{'command':'listClients','verbose':true}",
            "{'command':'listGroups','verbose':true}",
            "{'command':'listRoles','verbose':true}",
            "{'commands':[{'command':'createRole','rolename':'m1'},{'command':'createClient','username':'m1','roles':[{'rolename':'m1'}]},{'command':'createGroup','groupname':'m1','roles':[{'rolename':'m1'}]},{'command':'addGroupClient','groupname':'m1','username':'m1','correlationData':'m'},{'command':'getClient','username':'m1'}]}",
            "{'commands':[{'command':'deleteClient','username':'m1'},{'command':'getGroup','groupname':'m1'},{'command':'deleteGroup','groupname':'m1'},{'command':'getRole','rolename':'m1'},{'command':'deleteRole','rolename':'m1','correlationData':'last'},{'command':'listRoles'}]}",

            // numbers and text at the edges
            "{'command':'createRole','rolename':'e1','acls':[{'acltype':'publishClientSend','topic':'e/1','allow':true,'priority':2.7}]}",
            "{'command':'addRoleACL','rolename':'e1','acltype':'publishClientSend','topic':'e/2','allow':true,'priority':3000000000}",
            "{'command':'addRoleACL','rolename':'e1','acltype':'publishClientSend','topic':'e/3','allow':true,'priority':-3000000000}",
            "{'command':'addRoleACL','rolename':'e1','acltype':'publishClientSend','topic':'e/4','allow':true,'priority':-0.5}",
            "{'command':'addRoleACL','rolename':'e1','acltype':'publishClientSend','topic':'e/5','allow':1}",
            "{'command':'addRoleACL','rolename':'e1','acltype':'publishClientSend','topic':'e/6','allow':null,'priority':null}",
            "{'command':'getRole','rolename':'e1'}",
            "{'command':'createClient','username':'\u00fcn\u00efc\u00f8de \u2603','password':'p\u00e4ss','textname':'a \\\"quoted\\\" /slash\\\\ and tab\\t','clientid':'id with spaces'}",
            "{'command':'getClient','username':'\u00fcn\u00efc\u00f8de \u2603'}",
            "{'command':'addClientRole','username':'\u00fcn\u00efc\u00f8de \u2603','rolename':'e1','priority':1.9}",
            "{'command':'getClient','username':'\u00fcn\u00efc\u00f8de \u2603','extra':'ignored','verbose':true}",
            "{'command':'listClients','count':1.5,'offset':5.9}",
            "{'command':'listClients','count':3000000000,'offset':-3000000000}",
            "{'command':'getClient','username':'c1','username':'c2'}",
            "{'command':'getClient','username':'c2','command':'getRole'}",
            "{'command':'getDefaultACLAccess'}");

    private static DynsecBrokers brokers;
    private static final Map<String, DynsecClient> ADMINS = new LinkedHashMap<>();

    @BeforeAll
    static void startBoth() throws Exception {
        brokers = DynsecBrokers.start(false);
        for (DynsecBrokers.Side side : brokers.sides()) {
            ADMINS.put(side.name, DynsecClient.connect(side.port, DynsecBrokers.ADMIN,
                    DynsecBrokers.ADMIN_PASSWORD));
        }
    }

    @AfterAll
    static void stopBoth() throws Exception {
        for (DynsecClient admin : ADMINS.values()) {
            admin.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    static String payload(String entry) {
        if (entry.startsWith("RAW ")) {
            return entry.substring(4);
        }
        String json = entry.replace('\'', '"');
        return json.startsWith("{\"command\"") ? "{\"commands\":[" + json + "]}" : json;
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyAnswerEqualsMosquittos() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < SCRIPT.size(); i++) {
            String payload = payload(SCRIPT.get(i));
            tests.add(DynamicTest.dynamicTest(String.format("%03d %s", i, payload), () -> {
                JsonNode expected = DynsecClient.JSON.readTree(ADMINS.get("mosquitto").send(payload));
                if (Boolean.getBoolean("dynsec.print")) {
                    System.out.println(payload + "\n    -> " + expected);
                }
                if (brokers.culex != null) {
                    String culex = ADMINS.get("culex").send(payload);
                    assertEquals(expected, DynsecClient.JSON.readTree(culex),
                            "request " + payload + "\nmosquitto: " + expected + "\nculex:     " + culex);
                }
            }));
        }
        return tests.stream();
    }

    /** The files both brokers saved after the script: equal except for the random password hashes and salts. */
    @Test
    @Order(2)
    void savedFilesAreEqual() throws Exception {
        JsonNode mosquitto = withoutSecrets(DynsecClient.JSON.readTree(brokers.mosquitto.file.toFile()));
        assertTrue(mosquitto.path("clients").size() >= 5, mosquitto.toPrettyString());
        if (brokers.culex == null) {
            return;
        }
        // both write their file before they answer
        JsonNode culex = savedFile(brokers.culex.file);
        assertEquals(mosquitto.toPrettyString(), culex == null ? "unreadable" : withoutSecrets(culex).toPrettyString());
    }

    /**
     * Every {@code password} and {@code salt} value replaced by {@code "*"}: only their presence is compared (the
     * {@code iterations} stay and are compared).
     */
    static JsonNode withoutSecrets(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode) {
            for (String secret : List.of("password", "salt")) {
                if (node.has(secret)) {
                    ((ObjectNode) node).put(secret, "*");
                }
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            strip(it.next());
        }
    }

    /** Mosquitto 2.0.11 keeps a dangling anonymous group (and crashes later); Culex refuses to delete it. */
    @Test
    @Order(3)
    void deletingTheAnonymousGroupIsRefused() throws Exception {
        if (brokers.culex == null) {
            return;
        }
        DynsecClient admin = ADMINS.get("culex");
        assertNoError(admin.command("{\"command\":\"createGroup\",\"groupname\":\"anon\"}"));
        assertNoError(admin.command("{\"command\":\"setAnonymousGroup\",\"groupname\":\"anon\"}"));
        assertEquals(json("{'command':'deleteGroup','error':'Deleting the anonymous group is forbidden'}"),
                admin.command("{\"command\":\"deleteGroup\",\"groupname\":\"anon\"}"));
        assertEquals(json("{'command':'getAnonymousGroup','data':{'group':{'groupname':'anon'}}}"),
                admin.command("{\"command\":\"getAnonymousGroup\"}"));
        assertNoError(admin.command("{\"command\":\"createClient\",\"username\":\"after-anon\"}"));
        JsonNode file = savedFile(brokers.culex.file);
        assertEquals("anon", file.path("anonymousGroup").asText(), file.toPrettyString());
    }

    /** Mosquitto 2.0.11 keeps dangling references to a deleted role; Culex removes it from its clients and groups. */
    @Test
    @Order(4)
    void deletingARoleInUseRemovesItFromItsClientsAndGroups() throws Exception {
        if (brokers.culex == null) {
            return;
        }
        DynsecClient admin = ADMINS.get("culex");
        for (String command : List.of(
                "{'command':'createRole','rolename':'held','acls':[{'acltype':'publishClientSend','topic':'h/#','allow':true}]}",
                "{'command':'createRole','rolename':'kept'}",
                "{'command':'createClient','username':'holder','roles':[{'rolename':'held','priority':7},{'rolename':'kept'}]}",
                "{'command':'createGroup','groupname':'holders','roles':[{'rolename':'held'},{'rolename':'kept','priority':1}]}",
                "{'command':'addGroupClient','groupname':'holders','username':'holder'}",
                "{'command':'deleteRole','rolename':'held'}")) {
            assertNoError(admin.command(command.replace('\'', '"')));
        }
        assertEquals(json("{'command':'getClient','data':{'client':{'username':'holder','roles':[{'rolename':'kept'}],"
                + "'groups':[{'groupname':'holders'}]}}}"),
                admin.command("{\"command\":\"getClient\",\"username\":\"holder\"}"));
        assertEquals(json("{'command':'getGroup','data':{'group':{'groupname':'holders','clients':[{'username':'holder'}],"
                + "'roles':[{'rolename':'kept','priority':1}]}}}"),
                admin.command("{\"command\":\"getGroup\",\"groupname\":\"holders\"}"));
        JsonNode file = savedFile(brokers.culex.file);
        assertTrue(file.toString().contains("\"kept\"") && !file.toString().contains("\"held\""),
                file.toPrettyString());
    }

    /** Both brokers refuse a second addClientRole of the same role, with different words. */
    @Test
    @Order(5)
    void addingARoleTheClientAlreadyHas() throws Exception {
        String command = "{\"command\":\"addClientRole\",\"username\":\"c3\",\"rolename\":\"r1\",\"priority\":8}";
        JsonNode mosquittoAnswer = ADMINS.get("mosquitto").command(command);
        if (MosquittoBroker.isVersion2011()) {
            // 2.0.11's quirk; other versions need only refuse
            assertEquals(json("{'command':'addClientRole','error':'Internal error'}"), mosquittoAnswer);
        } else {
            assertTrue(mosquittoAnswer.has("error"), mosquittoAnswer.toString());
        }
        if (brokers.culex != null) {
            assertEquals(json("{'command':'addClientRole','error':'Client is already in this role'}"),
                    ADMINS.get("culex").command(command));
        }
        String getClient = "{\"command\":\"getClient\",\"username\":\"c3\"}";
        for (DynsecClient admin : ADMINS.values()) {
            assertEquals(json("{'command':'getClient','data':{'client':{'username':'c3','roles':[{'rolename':'r1'},"
                    + "{'rolename':'r3'}],'groups':[]}}}"), admin.command(getClient), "the role keeps its priority");
        }
    }

    /** mosquitto_ctrl 2.0.11's spelling {"access":"deny"}: Mosquitto's plugin ignores it, Culex applies it. */
    @Test
    @Order(6)
    void setDefaultACLAccessWithMosquittoCtrlsAccessSpelling() throws Exception {
        String set = "{\"command\":\"setDefaultACLAccess\",\"acls\":[{\"acltype\":\"publishClientReceive\","
                + "\"access\":\"deny\"}]}";
        String get = "{\"command\":\"getDefaultACLAccess\"}";
        for (Map.Entry<String, DynsecClient> admin : ADMINS.entrySet()) {
            boolean culex = admin.getKey().equals("culex");
            if (!culex && !MosquittoBroker.isVersion2011()) {
                continue; // the quirk compared here is 2.0.11's; Culex's own answer is asserted with any version
            }
            assertEquals(json("{'command':'setDefaultACLAccess'}"), admin.getValue().command(set));
            JsonNode receive = admin.getValue().command(get).path("data").path("acls").path(1);
            assertEquals("publishClientReceive", receive.path("acltype").asText());
            assertEquals(!culex, receive.path("allow").asBoolean(), admin.getKey());
        }
    }

    static JsonNode json(String singleQuoted) throws Exception {
        return DynsecClient.JSON.readTree(singleQuoted.replace('\'', '"'));
    }

    static void assertNoError(JsonNode response) {
        assertTrue(response.path("error").isMissingNode(), response.toString());
    }

    /**
     * The saved file. Both brokers save a change before they answer it, so once the answer is in, the file is
     * complete and holds it.
     */
    static JsonNode savedFile(Path file) throws IOException {
        return DynsecClient.JSON.readTree(file.toFile());
    }
}
