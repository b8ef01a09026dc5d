package io.culex.dynsec.internal.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.json.Views;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Role;

/** The group commands, with Mosquitto's checks in Mosquitto's order and its error strings. */
final class GroupCommands {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommands.class);
    private static final String NOT_FOUND = "Group not found";

    private GroupCommands() {
    }

    static void create(Request r) {
        String name = r.name("groupname", "Group name");
        if (name == null
                || r.badOptional("textname", "Invalid/missing textname")
                || r.badOptional("textdescription", "Invalid/missing textdescription")) {
            return;
        }
        if (r.model.group(name) != null) {
            r.error("Group already exists");
            return;
        }
        RoleLinks roles = RoleLinks.read(r);
        if (roles.answeredError(r)) {
            return;
        }
        Group group = new Group(name);
        r.applyTexts(group);
        group.replaceRoles(roles.links);
        r.model.add(group);
        r.changedOk();
        LOG.info("dynsec: {} | createGroup | groupname={}", r.admin(), name);
    }

    static void delete(Request r) {
        Group group = existing(r);
        if (group == null) {
            return;
        }
        if (group == r.model.anonymousGroup()) {
            // Mosquitto 2.0 deleted it and kept using the freed group; later versions refuse, as here
            r.error("Deleting the anonymous group is forbidden");
            return;
        }
        r.kicks.group(group, r.model);
        r.model.remove(group);
        r.changedOk();
        LOG.info("dynsec: {} | deleteGroup | groupname={}", r.admin(), group.name());
    }

    static void addClient(Request r) {
        String username = r.name("username", "Username");
        String name = username == null ? null : r.name("groupname", "Group name");
        if (name == null) {
            return;
        }
        int priority = r.intOr("priority", Link.NO_PRIORITY);
        Client client = r.model.client(username);
        Group group = r.model.group(name);
        if (client == null) {
            r.error("Client not found");
        } else if (group == null) {
            r.error(NOT_FOUND);
        } else if (!r.model.addMember(group, client, priority)) {
            r.error("Client is already in this group");
        } else {
            r.changedOk();
            LOG.info("dynsec: {} | addGroupClient | groupname={} | username={} | priority={}", r.admin(), name,
                    username, priority);
        }
        r.kicks.user(username);
    }

    static void removeClient(Request r) {
        String username = r.name("username", "Username");
        String name = username == null ? null : r.name("groupname", "Group name");
        if (name == null) {
            return;
        }
        Client client = r.model.client(username);
        Group group = r.model.group(name);
        if (client == null) {
            r.error("Client not found");
        } else if (group == null) {
            r.error(NOT_FOUND);
        } else {
            r.model.removeMember(group, client);
            r.changedOk();
            LOG.info("dynsec: {} | removeGroupClient | groupname={} | username={}", r.admin(), name, username);
        }
        r.kicks.user(username);
    }

    static void addRole(Request r) {
        String name = r.name("groupname", "Group name");
        String roleName = name == null ? null : r.name("rolename", "Role name");
        if (roleName == null) {
            return;
        }
        int priority = r.intOr("priority", Link.NO_PRIORITY);
        Group group = r.model.group(name);
        if (group == null) {
            r.error(NOT_FOUND);
            return;
        }
        Role role = r.model.role(roleName);
        if (role == null) {
            r.error("Role not found");
            return;
        }
        if (!group.addRole(role, priority)) {
            r.error("Group is already in this role");
            return;
        }
        r.changedOk();
        r.kicks.group(group, r.model);
        LOG.info("dynsec: {} | addGroupRole | groupname={} | rolename={} | priority={}", r.admin(), name, roleName,
                priority);
    }

    static void removeRole(Request r) {
        String name = r.name("groupname", "Group name");
        String roleName = name == null ? null : r.name("rolename", "Role name");
        if (roleName == null) {
            return;
        }
        Group group = r.model.group(name);
        if (group == null) {
            r.error(NOT_FOUND);
            return;
        }
        if (r.model.role(roleName) == null) {
            r.error("Role not found");
            return;
        }
        group.removeRole(roleName);
        r.changedOk();
        r.kicks.group(group, r.model);
        LOG.info("dynsec: {} | removeGroupRole | groupname={} | rolename={}", r.admin(), name, roleName);
    }

    static void get(Request r) {
        Group group = existing(r);
        if (group != null) {
            r.data("group", Views.group(group));
        }
    }

    static void list(Request r) {
        Paging.answer(r, "groups", r.model.groups(), Views::group);
    }

    /**
     * Given fields are replaced. The members who leave are disconnected too (Mosquitto 2.0 disconnected only the
     * new list), so that no client keeps a subscription its old group allowed.
     */
    static void modify(Request r) {
        Group group = existing(r);
        if (group == null) {
            return;
        }
        RoleLinks roles = RoleLinks.read(r);
        if (roles.answeredError(r)) {
            r.kicks.group(group, r.model);
            return;
        }
        r.applyTexts(group);
        if (roles.outcome == RoleLinks.Outcome.OK) {
            group.replaceRoles(roles.links);
        }
        JsonNode clients = Json.array(r.arguments(), "clients");
        if (clients != null) {
            r.kicks.group(group, r.model);
            r.model.removeAllMembers(group);
            for (JsonNode entry : clients) {
                Client client = r.model.client(Json.string(entry, "username"));
                if (client != null) {
                    r.model.addMember(group, client, Json.intOr(entry, "priority", Link.NO_PRIORITY));
                }
            }
        }
        r.changedOk();
        r.kicks.group(group, r.model);
        LOG.info("dynsec: {} | modifyGroup | groupname={}", r.admin(), group.name());
    }

    static void setAnonymous(Request r) {
        Group group = existing(r);
        if (group == null) {
            return;
        }
        r.model.anonymousGroup(group);
        r.changedOk();
        r.kicks.anonymousClients();
        LOG.info("dynsec: {} | setAnonymousGroup | groupname={}", r.admin(), group.name());
    }

    static void getAnonymous(Request r) {
        Group group = r.model.anonymousGroup();
        r.data("group", Json.MAPPER.createObjectNode().put("groupname", group == null ? "" : group.name()));
    }

    /** The group named by the {@code groupname} argument; null (and the error answered) if there is none. */
    private static Group existing(Request r) {
        return r.existing("groupname", "Group name", r.model::group, NOT_FOUND);
    }
}
