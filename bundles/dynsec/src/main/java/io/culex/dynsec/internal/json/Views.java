package io.culex.dynsec.internal.json;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.dynsec.internal.model.Acl;
import io.culex.dynsec.internal.model.AclType;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Named;
import io.culex.dynsec.internal.model.Role;

/** The JSON shapes of clients, groups and roles in responses, member for member as Mosquitto's plugin sends them. */
public final class Views {

    private Views() {
    }

    /** {@code getClient}, verbose {@code listClients}. */
    public static ObjectNode client(Client client) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("username", client.name());
        putIfSet(node, "clientid", client.clientId());
        putTexts(node, client);
        if (client.disabled()) {
            node.put("disabled", true);
        }
        node.set("roles", links(client.roles(), "rolename"));
        node.set("groups", links(client.groups(), "groupname"));
        return node;
    }

    /** {@code getGroup}, verbose {@code listGroups}: members without their priorities. */
    public static ObjectNode group(Group group) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("groupname", group.name());
        putTexts(node, group);
        ArrayNode clients = node.putArray("clients");
        for (Link<Client> member : group.clients()) {
            clients.addObject().put("username", member.name());
        }
        node.set("roles", links(group.roles(), "rolename"));
        return node;
    }

    /** {@code getRole}, verbose {@code listRoles}, and the file. */
    public static ObjectNode role(Role role) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("rolename", role.name());
        putTexts(node, role);
        ArrayNode acls = node.putArray("acls");
        for (AclType type : AclType.values()) {
            for (Acl acl : role.acls(type)) {
                ObjectNode entry = acls.addObject();
                entry.put("acltype", type.jsonName());
                entry.put("topic", acl.topic());
                entry.put("priority", acl.priority());
                entry.put("allow", acl.allow());
            }
        }
        return node;
    }

    /** A role or group list: {@code [{"rolename": .., "priority": ..}]}, the priority left out when not given. */
    public static ArrayNode links(List<? extends Link<?>> links, String nameKey) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Link<?> link : links) {
            ObjectNode entry = array.addObject();
            entry.put(nameKey, link.name());
            if (link.priority() != Link.NO_PRIORITY) {
                entry.put("priority", link.priority());
            }
        }
        return array;
    }

    /** The display texts, each only if set. */
    static void putTexts(ObjectNode node, Named named) {
        putIfSet(node, "textname", named.textName());
        putIfSet(node, "textdescription", named.textDescription());
    }

    static void putIfSet(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
