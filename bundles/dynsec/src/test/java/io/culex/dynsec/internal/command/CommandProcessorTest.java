package io.culex.dynsec.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.json.ModelFile;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.SecurityModel;

/** Requests and their responses, word for word as Mosquitto's plugin answers them. */
class CommandProcessorTest {

    private final SecurityModel model = new SecurityModel();
    private CommandProcessor.Outcome last;

    /** Run one command (given as the members of its JSON object) and return its single response. */
    private JsonNode one(String command) throws Exception {
        JsonNode responses = run("{\"commands\":[{" + command + "}]}");
        assertEquals(1, responses.size(), responses.toString());
        return responses.get(0);
    }

    private JsonNode run(String payload) throws Exception {
        last = CommandProcessor.process(model, payload.getBytes(StandardCharsets.UTF_8), "test/admin");
        JsonNode tree = Json.MAPPER.readTree(last.payload());
        return tree.get("responses");
    }

    private void ok(String command) throws Exception {
        JsonNode response = one(command);
        assertNull(response.get("error"), response.toString());
    }

    private static String error(JsonNode response) {
        JsonNode error = response.get("error");
        return error == null ? null : error.asText();
    }

    @Test
    void badPayloadsAreAnsweredNotThrown() throws Exception {
        assertEquals("{\"command\":\"Unknown command\",\"error\":\"Payload not valid JSON\"}",
                run("{not json").get(0).toString());
        assertEquals("Invalid/missing commands", error(run("{\"commands\":{}}").get(0)));
        assertEquals("Invalid/missing commands", error(run("[]").get(0)));
        JsonNode responses = run("{\"commands\":[5,{\"correlationData\":\"c\"},{\"command\":\"nope\",\"correlationData\":\"x\"}]}");
        assertEquals("Command not an object", error(responses.get(0)));
        assertEquals("Missing command", error(responses.get(1)));
        assertEquals("{\"command\":\"nope\",\"error\":\"Unknown command\",\"correlationData\":\"x\"}",
                responses.get(2).toString());
        assertFalse(last.changed());
    }

    @Test
    void aCorrelationDataThatIsNotAStringStopsTheRequest() throws Exception {
        JsonNode responses = run("{\"commands\":[{\"command\":\"createRole\",\"rolename\":\"a\",\"correlationData\":5},"
                + "{\"command\":\"createRole\",\"rolename\":\"b\"}]}");
        assertEquals(1, responses.size());
        assertEquals("Invalid correlationData data type.", error(responses.get(0)));
        assertNull(model.role("a"));
        assertNull(model.role("b"));
    }

    @Test
    void commandNamesAndMemberNamesIgnoreCase() throws Exception {
        JsonNode response = one("\"COMMAND\":\"CREATEROLE\",\"RoleName\":\"r\",\"correlationData\":\"7\"");
        assertEquals("{\"command\":\"createRole\",\"correlationData\":\"7\"}", response.toString());
        assertNotNull(model.role("r"));
        assertTrue(last.changed());
    }

    @Test
    void aMemberGivenTwiceKeepsItsFirstValueAsInCJson() throws Exception {
        ok("\"command\":\"createRole\",\"rolename\":\"first\",\"RoleName\":\"second\",\"rolename\":\"third\"");
        assertNotNull(model.role("first"));
        assertEquals(1, model.roles().size());
    }

    @Test
    void bytesThatAreNotUtf8MakeANameInvalid() throws Exception {
        byte[] payload = "{\"commands\":[{\"command\":\"createRole\",\"rolename\":\"a\u00ffb\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        last = CommandProcessor.process(model, payload, "test");
        assertEquals("Role name not valid UTF-8",
                Json.MAPPER.readTree(last.payload()).get("responses").get(0).get("error").asText());
    }

    @Test
    void clientLifeCycle() throws Exception {
        ok("\"command\":\"createRole\",\"rolename\":\"r\"");
        ok("\"command\":\"createGroup\",\"groupname\":\"g\"");
        ok("\"command\":\"createClient\",\"username\":\"u\",\"password\":\"p\",\"clientid\":\"cid\","
                + "\"textname\":\"T\",\"roles\":[{\"rolename\":\"r\",\"priority\":2}],\"groups\":[{\"groupname\":\"g\"}]");
        assertEquals("{\"username\":\"u\",\"clientid\":\"cid\",\"textname\":\"T\",\"roles\":[{\"rolename\":\"r\",\"priority\":2}],"
                + "\"groups\":[{\"groupname\":\"g\"}]}",
                one("\"command\":\"getClient\",\"username\":\"u\"").get("data").get("client").toString());
        assertEquals("Client already exists", error(one("\"command\":\"createClient\",\"username\":\"u\"")));
        assertTrue(model.client("u").password().matches("p".getBytes(StandardCharsets.UTF_8)));

        ok("\"command\":\"disableClient\",\"username\":\"u\"");
        assertTrue(model.client("u").disabled());
        assertEquals(Set.of("u"), last.kicks().usernames());
        ok("\"command\":\"enableClient\",\"username\":\"u\"");
        assertTrue(last.kicks().usernames().isEmpty(), "enabling kicks nobody");

        ok("\"command\":\"setClientId\",\"username\":\"u\",\"clientid\":\"\"");
        assertNull(model.client("u").clientId(), "an empty client id means any");
        assertEquals("Empty password is not allowed",
                error(one("\"command\":\"setClientPassword\",\"username\":\"u\",\"password\":\"\"")));
        ok("\"command\":\"setClientPassword\",\"username\":\"u\",\"password\":\"q\"");
        assertTrue(model.client("u").password().matches("q".getBytes(StandardCharsets.UTF_8)));

        ok("\"command\":\"deleteClient\",\"username\":\"u\"");
        assertNull(model.client("u"));
        assertTrue(model.group("g").clients().isEmpty(), "the group forgets its deleted member");
        assertEquals("Client not found", error(one("\"command\":\"deleteClient\",\"username\":\"u\"")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"command\":\"createClient\"|Invalid/missing username",
        "\"command\":\"createClient\",\"username\":5|Invalid/missing username",
        "\"command\":\"createClient\",\"username\":\"a\\u0001\"|Username not valid UTF-8",
        "\"command\":\"createClient\",\"username\":\"a\",\"password\":1|Invalid/missing password",
        "\"command\":\"createClient\",\"username\":\"a\",\"clientid\":1|Invalid/missing client id",
        "\"command\":\"createClient\",\"username\":\"a\",\"textname\":1|Invalid/missing textname",
        "\"command\":\"createClient\",\"username\":\"a\",\"roles\":[{\"rolename\":\"x\"}]|Role not found",
        "\"command\":\"createClient\",\"username\":\"a\",\"roles\":{}|'roles' not an array or missing/invalid rolename",
        "\"command\":\"createClient\",\"username\":\"a\",\"groups\":[{\"groupname\":\"x\"}]|Group not found",
        "\"command\":\"setClientId\",\"username\":\"a\",\"clientid\":1|Invalid/missing client ID",
        "\"command\":\"setClientPassword\",\"username\":\"a\"|Invalid/missing password",
        "\"command\":\"modifyClient\",\"username\":\"nobody\"|Client not found",
        "\"command\":\"addClientRole\",\"username\":\"nobody\",\"rolename\":\"r\"|Client not found",
        "\"command\":\"addClientRole\",\"username\":\"a\"|Invalid/missing rolename",
        "\"command\":\"createGroup\",\"groupname\":\"\\ud800\"|Group name not valid UTF-8",
        "\"command\":\"getGroup\",\"groupname\":\"x\"|Group not found",
        "\"command\":\"addGroupClient\",\"username\":\"nobody\",\"groupname\":\"x\"|Client not found",
        "\"command\":\"setAnonymousGroup\",\"groupname\":\"x\"|Group not found",
        "\"command\":\"createRole\",\"rolename\":\"r\",\"textdescription\":[]|Invalid/missing textdescription",
        "\"command\":\"modifyRole\",\"rolename\":\"x\"|Role does not exist",
        "\"command\":\"getRole\",\"rolename\":\"x\"|Role not found",
        "\"command\":\"addRoleACL\",\"rolename\":\"x\"|Role not found",
        "\"command\":\"setDefaultACLAccess\"|Missing/invalid actions array",
    })
    void badArgumentsAreRefusedAndChangeNothing(String command, String expectedError) throws Exception {
        String before = ModelFile.toJson(model).toString();
        assertEquals(expectedError, error(one(command)));
        assertFalse(last.changed());
        assertEquals(before, ModelFile.toJson(model).toString());
    }

    @Test
    void roleAclCommands() throws Exception {
        ok("\"command\":\"createRole\",\"rolename\":\"r\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"a/#\",\"allow\":true}]");
        assertEquals("Invalid/missing acltype", error(one("\"command\":\"addRoleACL\",\"rolename\":\"r\"")));
        assertEquals("Unknown acltype",
                error(one("\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"subscribe\",\"topic\":\"x\"")));
        assertEquals("Invalid/missing topic",
                error(one("\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"subscribePattern\"")));
        assertEquals("Invalid ACL topic", error(one(
                "\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"subscribePattern\",\"topic\":\"a/#/b\"")));
        assertEquals("ACL with this topic already exists", error(one(
                "\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"a/#\"")));
        ok("\"command\":\"addRoleACL\",\"rolename\":\"r\",\"acltype\":\"PUBLISHclientSEND\",\"topic\":\"b\",\"priority\":9,\"allow\":false");
        assertEquals("[{\"acltype\":\"publishClientSend\",\"topic\":\"b\",\"priority\":9,\"allow\":false},"
                + "{\"acltype\":\"publishClientSend\",\"topic\":\"a/#\",\"priority\":0,\"allow\":true}]",
                one("\"command\":\"getRole\",\"rolename\":\"r\"").get("data").get("role").get("acls").toString(),
                "higher priority first");
        assertEquals("ACL not found", error(one(
                "\"command\":\"removeRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"zz\"")));
        ok("\"command\":\"removeRoleACL\",\"rolename\":\"r\",\"acltype\":\"publishClientSend\",\"topic\":\"b\"");
        assertEquals(1, model.role("r").acls(io.culex.dynsec.internal.model.AclType.PUBLISH_CLIENT_SEND).size());
    }

    @Test
    void deletingARoleKicksEveryoneItAppliedToAndRemovesItEverywhere() throws Exception {
        ok("\"command\":\"createRole\",\"rolename\":\"r\"");
        ok("\"command\":\"createGroup\",\"groupname\":\"g\",\"roles\":[{\"rolename\":\"r\"}]");
        ok("\"command\":\"createClient\",\"username\":\"direct\",\"roles\":[{\"rolename\":\"r\"}]");
        ok("\"command\":\"createClient\",\"username\":\"member\",\"groups\":[{\"groupname\":\"g\"}]");
        ok("\"command\":\"setAnonymousGroup\",\"groupname\":\"g\"");
        assertTrue(last.kicks().anonymous());
        ok("\"command\":\"deleteRole\",\"rolename\":\"r\"");
        assertEquals(Set.of("direct", "member"), last.kicks().usernames());
        assertTrue(last.kicks().anonymous(), "the anonymous group had the role");
        Client direct = model.client("direct");
        assertTrue(direct.roles().isEmpty());
        assertTrue(model.group("g").roles().isEmpty());
        assertEquals("Deleting the anonymous group is forbidden",
                error(one("\"command\":\"deleteGroup\",\"groupname\":\"g\"")));
        assertEquals("{\"groupname\":\"g\"}",
                one("\"command\":\"getAnonymousGroup\"").get("data").get("group").toString());
    }

    @Test
    void listsPageLikeMosquitto() throws Exception {
        for (String name : new String[] {"c", "a", "b", "d"}) {
            ok("\"command\":\"createClient\",\"username\":\"" + name + "\"");
        }
        JsonNode data = one("\"command\":\"listClients\"").get("data");
        assertEquals(4, data.get("totalCount").asInt());
        assertEquals("[\"a\",\"b\",\"c\",\"d\"]", data.get("clients").toString());
        assertEquals("[\"b\",\"c\"]",
                one("\"command\":\"listClients\",\"offset\":1,\"count\":2").get("data").get("clients").toString());
        assertEquals("[\"a\"]", one("\"command\":\"listClients\",\"count\":0").get("data").get("clients").toString(),
                "Mosquitto's count of 0 still lists one");
        assertEquals("a", one("\"command\":\"listClients\",\"verbose\":true,\"count\":1")
                .get("data").get("clients").get(0).get("username").asText());
    }

    @Test
    void defaultAccessAcceptsBothSpellings() throws Exception {
        ok("\"command\":\"setDefaultACLAccess\",\"acls\":[{\"acltype\":\"publishClientSend\",\"allow\":true},"
                + "{\"acltype\":\"subscribe\",\"access\":\"allow\"},{\"acltype\":\"bogus\",\"allow\":true}]");
        assertEquals("[{\"acltype\":\"publishClientSend\",\"allow\":true},{\"acltype\":\"publishClientReceive\",\"allow\":false},"
                + "{\"acltype\":\"subscribe\",\"allow\":true},{\"acltype\":\"unsubscribe\",\"allow\":false}]",
                one("\"command\":\"getDefaultACLAccess\"").get("data").get("acls").toString());
    }

    @Test
    void modifyGroupReplacesMembersAndKicksOldAndNew() throws Exception {
        ok("\"command\":\"createGroup\",\"groupname\":\"g\"");
        ok("\"command\":\"createClient\",\"username\":\"old\",\"groups\":[{\"groupname\":\"g\"}]");
        ok("\"command\":\"createClient\",\"username\":\"new\"");
        ok("\"command\":\"modifyGroup\",\"groupname\":\"g\",\"clients\":[{\"username\":\"new\",\"priority\":4}]");
        assertEquals(Set.of("old", "new"), last.kicks().usernames());
        assertEquals("[{\"username\":\"new\"}]",
                one("\"command\":\"getGroup\",\"groupname\":\"g\"").get("data").get("group").get("clients").toString());
        assertEquals("[{\"groupname\":\"g\",\"priority\":4}]",
                one("\"command\":\"getClient\",\"username\":\"new\"").get("data").get("client").get("groups").toString());
        assertEquals("Client is already in this group",
                error(one("\"command\":\"addGroupClient\",\"username\":\"new\",\"groupname\":\"g\"")));
    }
}
