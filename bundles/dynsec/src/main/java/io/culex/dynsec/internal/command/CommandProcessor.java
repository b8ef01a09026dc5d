package io.culex.dynsec.internal.command;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.model.DefaultAccess;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * Runs one request of {@code $CONTROL/dynamic-security/v1}, {@code {"commands": [..]}}, against the model and
 * builds the response {@code {"responses": [..]}}: one answer per command, in order, shaped and worded as by
 * Mosquitto's plugin (command names compare ignoring case). Runs on the one thread that owns the model.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private static final Map<String, Command> COMMANDS = new HashMap<>();

    private record Command(String name, Consumer<Request> handler) {
    }

    static {
        add("setDefaultACLAccess", CommandProcessor::setDefaultAccess);
        add("getDefaultACLAccess", CommandProcessor::getDefaultAccess);
        add("createClient", ClientCommands::create);
        add("deleteClient", ClientCommands::delete);
        add("getClient", ClientCommands::get);
        add("listClients", ClientCommands::list);
        add("modifyClient", ClientCommands::modify);
        add("setClientPassword", ClientCommands::setPassword);
        add("setClientId", ClientCommands::setId);
        add("addClientRole", ClientCommands::addRole);
        add("removeClientRole", ClientCommands::removeRole);
        add("enableClient", ClientCommands::enable);
        add("disableClient", ClientCommands::disable);
        add("addGroupClient", GroupCommands::addClient);
        add("createGroup", GroupCommands::create);
        add("deleteGroup", GroupCommands::delete);
        add("getGroup", GroupCommands::get);
        add("listGroups", GroupCommands::list);
        add("modifyGroup", GroupCommands::modify);
        add("removeGroupClient", GroupCommands::removeClient);
        add("addGroupRole", GroupCommands::addRole);
        add("removeGroupRole", GroupCommands::removeRole);
        add("setAnonymousGroup", GroupCommands::setAnonymous);
        add("getAnonymousGroup", GroupCommands::getAnonymous);
        add("createRole", RoleCommands::create);
        add("getRole", RoleCommands::get);
        add("listRoles", RoleCommands::list);
        add("modifyRole", RoleCommands::modify);
        add("deleteRole", RoleCommands::delete);
        add("addRoleACL", RoleCommands::addAcl);
        add("removeRoleACL", RoleCommands::removeAcl);
    }

    private static void add(String name, Consumer<Request> handler) {
        COMMANDS.put(name.toLowerCase(Locale.ROOT), new Command(name, handler));
    }

    /**
     * What a request did.
     *
     * @param response the response, {@code {"responses": [..]}}
     * @param changed whether the model changed (it must be saved before the response is sent)
     * @param kicks the clients to disconnect once it is saved
     */
    public record Outcome(ObjectNode response, boolean changed, Kicks kicks) {

        /** @return the response as the payload to publish */
        public byte[] payload() {
            try {
                return Json.MAPPER.writeValueAsBytes(response);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of strings, numbers and booleans always encodes", e);
            }
        }
    }

    private CommandProcessor() {
    }

    /**
     * @param model the model, changed in place
     * @param payload the request
     * @param admin who sent it, for the log
     */
    public static Outcome process(SecurityModel model, byte[] payload, String admin) {
        ObjectNode tree = Json.MAPPER.createObjectNode();
        ArrayNode responses = tree.putArray("responses");
        Kicks kicks = new Kicks();
        boolean changed = false;
        JsonNode request;
        try {
            request = Json.parse(payload);
        } catch (IOException e) {
            request = null;
        }
        JsonNode commands = request == null ? null : Json.field(request, "commands");
        if (request == null) {
            unknown(responses, "Payload not valid JSON", null);
        } else if (commands == null || !commands.isArray()) {
            unknown(responses, "Invalid/missing commands", null);
        } else {
            // As in Mosquitto, an entry without a command is answered with the previous command's correlationData
            String correlationData = null;
            for (JsonNode entry : commands) {
                if (!entry.isObject()) {
                    unknown(responses, "Command not an object", correlationData);
                    continue;
                }
                String name = Json.string(entry, "command");
                if (name == null) {
                    unknown(responses, "Missing command", correlationData);
                    continue;
                }
                if (Json.notAString(entry, "correlationData")) {
                    new Request(name, entry, null, responses, model, kicks, admin)
                            .error("Invalid correlationData data type.");
                    break; // Mosquitto stops at this command
                }
                correlationData = Json.string(entry, "correlationData");
                Command command = COMMANDS.get(name.toLowerCase(Locale.ROOT));
                if (command == null) {
                    new Request(name, entry, correlationData, responses, model, kicks, admin).error("Unknown command");
                    continue;
                }
                Request r = new Request(command.name(), entry, correlationData, responses, model, kicks, admin);
                command.handler().accept(r);
                changed |= r.changed();
            }
        }
        return new Outcome(tree, changed, kicks);
    }

    private static void unknown(ArrayNode responses, String error, String correlationData) {
        ObjectNode response = responses.addObject();
        response.put("command", "Unknown command");
        response.put("error", error);
        if (correlationData != null) {
            response.put("correlationData", correlationData);
        }
    }

    private static void setDefaultAccess(Request r) {
        JsonNode acls = Json.array(r.arguments(), "acls");
        if (acls == null) {
            r.error("Missing/invalid actions array");
            return;
        }
        DefaultAccess access = r.model.defaultAccess();
        for (JsonNode entry : acls) {
            String type = Json.string(entry, "acltype");
            Boolean allow = allowOf(entry);
            if (type != null && allow != null) {
                access = access.with(type, allow);
                LOG.info("dynsec: {} | setDefaultACLAccess | acltype={} | allow={}", r.admin(), type, allow);
            }
        }
        r.model.defaultAccess(access);
        r.changedOk();
    }

    /**
     * {@code "allow": true|false} as the plugin reads it, or {@code "access": "allow"|"deny"} as mosquitto_ctrl 2.0
     * sends it (Mosquitto 2.0's own plugin ignores that spelling, so the command has no effect there).
     */
    private static Boolean allowOf(JsonNode entry) {
        JsonNode allow = Json.field(entry, "allow");
        if (allow != null && allow.isBoolean()) {
            return allow.booleanValue();
        }
        String access = Json.string(entry, "access");
        if ("allow".equalsIgnoreCase(access)) {
            return Boolean.TRUE;
        } else if ("deny".equalsIgnoreCase(access)) {
            return Boolean.FALSE;
        }
        return null;
    }

    private static void getDefaultAccess(Request r) {
        DefaultAccess access = r.model.defaultAccess();
        ObjectNode data = Json.MAPPER.createObjectNode();
        ArrayNode acls = data.putArray("acls");
        acls.addObject().put("acltype", DefaultAccess.PUBLISH_CLIENT_SEND).put("allow", access.publishClientSend());
        acls.addObject().put("acltype", DefaultAccess.PUBLISH_CLIENT_RECEIVE)
                .put("allow", access.publishClientReceive());
        acls.addObject().put("acltype", DefaultAccess.SUBSCRIBE).put("allow", access.subscribe());
        acls.addObject().put("acltype", DefaultAccess.UNSUBSCRIBE).put("allow", access.unsubscribe());
        r.data(data);
    }
}
