package io.culex.dynsec.internal.command;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.culex.dynsec.internal.access.Utf8;
import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.json.Views;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Password;
import io.culex.dynsec.internal.model.Role;

/** The client commands, with Mosquitto's checks in Mosquitto's order and its error strings. */
final class ClientCommands {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCommands.class);
    private static final String NOT_FOUND = "Client not found";

    private ClientCommands() {
    }

    static void create(Request r) {
        String username = r.name("username", "Username");
        if (username == null
                || r.badOptional("password", "Invalid/missing password")
                || r.badOptional("clientid", "Invalid/missing client id")) {
            return;
        }
        String clientId = r.optional("clientid");
        if (clientId != null && !Utf8.isValid(clientId)) {
            r.error("Client ID not valid UTF-8");
            return;
        }
        if (r.badOptional("textname", "Invalid/missing textname")
                || r.badOptional("textdescription", "Invalid/missing textdescription")) {
            return;
        }
        if (r.model.client(username) != null) {
            r.error("Client already exists");
            return;
        }
        RoleLinks roles = RoleLinks.read(r);
        if (roles.answeredError(r)) {
            return;
        }
        JsonNode groupsArgument = Json.array(r.arguments(), "groups");
        if (groupsArgument != null) {
            for (JsonNode entry : groupsArgument) {
                String groupName = Json.string(entry, "groupname");
                if (groupName != null && r.model.group(groupName) == null) {
                    r.error("Group not found");
                    return;
                }
            }
        }
        Client client = new Client(username);
        r.applyTexts(client);
        String password = r.optional("password");
        if (password != null) {
            client.password(Password.hash(password.getBytes(StandardCharsets.UTF_8)));
        }
        client.clientId(clientId);
        for (Link<Role> link : roles.links) {
            client.addRole(link.target(), link.priority());
        }
        r.model.add(client);
        if (groupsArgument != null) {
            joinGroups(r, client, groupsArgument);
        }
        r.changedOk();
        LOG.info("dynsec: {} | createClient | username={} | password={}", r.admin(), username,
                password == null ? "no" : "******");
    }

    private static void joinGroups(Request r, Client client, JsonNode groups) {
        for (JsonNode entry : groups) {
            Group group = r.model.group(Json.string(entry, "groupname"));
            if (group != null) {
                r.model.addMember(group, client, Json.intOr(entry, "priority", Link.NO_PRIORITY));
            }
        }
    }

    static void delete(Request r) {
        String username = Json.string(r.arguments(), "username");
        if (username == null) {
            r.error("Invalid/missing username");
            return;
        }
        Client client = r.model.client(username);
        if (client == null) {
            r.error(NOT_FOUND);
            return;
        }
        r.model.remove(client);
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | deleteClient | username={}", r.admin(), username);
    }

    static void enable(Request r) {
        setDisabled(r, false);
    }

    static void disable(Request r) {
        setDisabled(r, true);
    }

    private static void setDisabled(Request r, boolean disabled) {
        Client client = existing(r);
        if (client == null) {
            return;
        }
        client.disabled(disabled);
        r.changedOk();
        if (disabled) {
            r.kicks.user(client.name());
        }
        LOG.info("dynsec: {} | {}Client | username={}", r.admin(), disabled ? "disable" : "enable", client.name());
    }

    static void setId(Request r) {
        String username = r.name("username", "Username");
        if (username == null || r.badOptional("clientid", "Invalid/missing client ID")) {
            return;
        }
        String clientId = r.optional("clientid");
        if (clientId != null && !Utf8.isValid(clientId)) {
            r.error("Client ID not valid UTF-8");
            return;
        }
        Client client = r.model.client(username);
        if (client == null) {
            r.error(NOT_FOUND);
            return;
        }
        client.clientId(clientId);
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | setClientId | username={} | clientid={}", r.admin(), username, client.clientId());
    }

    static void setPassword(Request r) {
        String username = r.name("username", "Username");
        if (username == null) {
            return;
        }
        String password = r.optional("password");
        if (password == null) {
            r.error("Invalid/missing password");
            return;
        }
        if (password.isEmpty()) {
            r.error("Empty password is not allowed");
            return;
        }
        Client client = r.model.client(username);
        if (client == null) {
            r.error(NOT_FOUND);
            return;
        }
        client.password(Password.hash(password.getBytes(StandardCharsets.UTF_8)));
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | setClientPassword | username={} | password=******", r.admin(), username);
    }

    /**
     * Everything given is replaced; what is not given stays. Unlike Mosquitto 2.0, which applied the fields before
     * it found a bad role list, a refused modifyClient changes nothing.
     */
    static void modify(Request r) {
        Client client = existing(r);
        if (client == null) {
            return;
        }
        String username = client.name();
        RoleLinks roles = RoleLinks.read(r);
        if (roles.answeredError(r)) {
            r.kicks.user(username);
            return;
        }
        String clientId = r.optional("clientid");
        if (clientId != null) {
            client.clientId(clientId);
        }
        String password = r.optional("password");
        if (password != null && !password.isEmpty()) {
            client.password(Password.hash(password.getBytes(StandardCharsets.UTF_8)));
        }
        r.applyTexts(client);
        if (roles.outcome == RoleLinks.Outcome.OK) {
            client.clearRoles();
            for (Link<Role> link : roles.links) {
                client.addRole(link.target(), link.priority());
            }
        }
        JsonNode groups = Json.array(r.arguments(), "groups");
        if (groups != null) {
            r.model.leaveAllGroups(client);
            joinGroups(r, client, groups);
        }
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | modifyClient | username={}", r.admin(), username);
    }

    static void get(Request r) {
        Client client = existing(r);
        if (client != null) {
            r.data("client", Views.client(client));
        }
    }

    static void list(Request r) {
        Paging.answer(r, "clients", r.model.clients(), Views::client);
    }

    /** The client named by the {@code username} argument; null (and the error answered) if there is none. */
    private static Client existing(Request r) {
        return r.existing("username", "Username", r.model::client, NOT_FOUND);
    }

    static void addRole(Request r) {
        String username = r.name("username", "Username");
        String roleName = username == null ? null : r.name("rolename", "Role name");
        if (roleName == null) {
            return;
        }
        int priority = r.intOr("priority", Link.NO_PRIORITY);
        Client client = r.model.client(username);
        if (client == null) {
            r.error(NOT_FOUND);
            return;
        }
        Role role = r.model.role(roleName);
        if (role == null) {
            r.error("Role not found");
            return;
        }
        if (!client.addRole(role, priority)) {
            // Mosquitto 2.0 sends no response at all here
            r.error("Client is already in this role");
            return;
        }
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | addClientRole | username={} | rolename={} | priority={}", r.admin(), username,
                roleName, priority);
    }

    static void removeRole(Request r) {
        String username = r.name("username", "Username");
        String roleName = username == null ? null : r.name("rolename", "Role name");
        if (roleName == null) {
            return;
        }
        Client client = r.model.client(username);
        if (client == null) {
            r.error(NOT_FOUND);
            return;
        }
        if (r.model.role(roleName) == null) {
            r.error("Role not found");
            return;
        }
        client.removeRole(roleName);
        r.changedOk();
        r.kicks.user(username);
        LOG.info("dynsec: {} | removeClientRole | username={} | rolename={}", r.admin(), username, roleName);
    }
}
