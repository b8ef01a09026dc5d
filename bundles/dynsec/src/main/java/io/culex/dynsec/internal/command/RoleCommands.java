package io.culex.dynsec.internal.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.culex.dynsec.internal.access.TopicMatching;
import io.culex.dynsec.internal.access.Utf8;
import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.json.ModelFile;
import io.culex.dynsec.internal.json.Views;
import io.culex.dynsec.internal.model.Acl;
import io.culex.dynsec.internal.model.AclType;
import io.culex.dynsec.internal.model.Role;

/** The role commands, with Mosquitto's checks in Mosquitto's order and its error strings. */
final class RoleCommands {

    private static final Logger LOG = LoggerFactory.getLogger(RoleCommands.class);
    private static final String NOT_FOUND = "Role not found";

    private RoleCommands() {
    }

    static void create(Request r) {
        String name = r.name("rolename", "Role name");
        if (name == null
                || r.badOptional("textname", "Invalid/missing textname")
                || r.badOptional("textdescription", "Invalid/missing textdescription")) {
            return;
        }
        if (r.model.role(name) != null) {
            r.error("Role already exists");
            return;
        }
        Role role = new Role(name);
        r.applyTexts(role);
        ModelFile.readAcls(Json.array(r.arguments(), "acls"), role);
        r.model.add(role);
        r.changedOk();
        LOG.info("dynsec: {} | createRole | rolename={}", r.admin(), name);
    }

    static void delete(Request r) {
        Role role = existing(r, NOT_FOUND);
        if (role == null) {
            return;
        }
        r.kicks.role(role, r.model);
        r.model.remove(role);
        r.changedOk();
        LOG.info("dynsec: {} | deleteRole | rolename={}", r.admin(), role.name());
    }

    static void get(Request r) {
        Role role = existing(r, NOT_FOUND);
        if (role != null) {
            r.data("role", Views.role(role));
        }
    }

    static void list(Request r) {
        Paging.answer(r, "roles", r.model.roles(), Views::role);
    }

    /**
     * Given fields are replaced; a given {@code acls} list replaces all entries. The clients the role applies to are
     * disconnected when the entries change (Mosquitto 2.0 did not), so that existing subscriptions are checked again.
     */
    static void modify(Request r) {
        Role role = existing(r, "Role does not exist");
        if (role == null) {
            return;
        }
        r.applyTexts(role);
        JsonNode acls = Json.array(r.arguments(), "acls");
        if (acls != null) {
            Role replacement = new Role(role.name());
            ModelFile.readAcls(acls, replacement);
            role.replaceAcls(replacement);
            r.kicks.role(role, r.model);
        }
        r.changedOk();
        LOG.info("dynsec: {} | modifyRole | rolename={}", r.admin(), role.name());
    }

    static void addAcl(Request r) {
        Role role = existing(r, NOT_FOUND);
        AclType type = role == null ? null : aclType(r);
        if (type == null) {
            return;
        }
        JsonNode topicNode = Json.field(r.arguments(), "topic");
        if (topicNode == null || !topicNode.isTextual()) {
            r.error("Invalid/missing topic");
            return;
        }
        String topic = checkedTopic(r, topicNode.textValue());
        if (topic == null) {
            return;
        }
        Acl acl = new Acl(topic, r.intOr("priority", 0), r.boolOr("allow", false));
        if (!role.addAcl(type, acl)) {
            r.error("ACL with this topic already exists");
            return;
        }
        r.changedOk();
        r.kicks.role(role, r.model);
        LOG.info("dynsec: {} | addRoleACL | rolename={} | acltype={} | topic={} | priority={} | allow={}",
                r.admin(), role.name(), type.jsonName(), topic, acl.priority(), acl.allow());
    }

    static void removeAcl(Request r) {
        Role role = existing(r, NOT_FOUND);
        AclType type = role == null ? null : aclType(r);
        if (type == null) {
            return;
        }
        String topic = Json.string(r.arguments(), "topic");
        if (topic == null) {
            r.error("Invalid/missing topic");
            return;
        }
        if (checkedTopic(r, topic) == null) {
            return;
        }
        if (!role.removeAcl(type, topic)) {
            r.error("ACL not found");
            return;
        }
        r.changedOk();
        r.kicks.role(role, r.model);
        LOG.info("dynsec: {} | removeRoleACL | rolename={} | acltype={} | topic={}", r.admin(), role.name(),
                type.jsonName(), topic);
    }

    /** The role named by the {@code rolename} argument; null (and the error answered) if there is none. */
    private static Role existing(Request r, String notFound) {
        return r.existing("rolename", "Role name", r.model::role, notFound);
    }

    private static AclType aclType(Request r) {
        String typeName = Json.string(r.arguments(), "acltype");
        if (typeName == null) {
            r.error("Invalid/missing acltype");
            return null;
        }
        AclType type = AclType.byName(typeName).orElse(null);
        if (type == null) {
            r.error("Unknown acltype");
        }
        return type;
    }

    private static String checkedTopic(Request r, String topic) {
        if (!Utf8.isValid(topic)) {
            r.error("Topic not valid UTF-8");
            return null;
        }
        if (!TopicMatching.isValidFilter(topic)) {
            r.error("Invalid ACL topic");
            return null;
        }
        return topic;
    }
}
