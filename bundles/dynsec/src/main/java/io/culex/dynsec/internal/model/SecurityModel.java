package io.culex.dynsec.internal.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * Everything the dynamic security plugin knows: clients, groups, roles, the default access and the anonymous group.
 * Mutable and not thread-safe: one thread (the command thread) owns it; checks on the network threads read an
 * immutable {@link io.culex.dynsec.internal.access.AccessRules} compiled from it after each change.
 *
 * <p>Clients, groups and roles are kept in name order, which is the order Mosquitto lists and writes them in.
 */
public final class SecurityModel {

    private final TreeMap<String, Client> clients = new TreeMap<>(Names.ORDER);
    private final TreeMap<String, Group> groups = new TreeMap<>(Names.ORDER);
    private final TreeMap<String, Role> roles = new TreeMap<>(Names.ORDER);
    private DefaultAccess defaultAccess = DefaultAccess.NONE;
    private Group anonymousGroup;

    public Client client(String username) {
        return username == null ? null : clients.get(username);
    }

    public Group group(String name) {
        return name == null ? null : groups.get(name);
    }

    public Role role(String name) {
        return name == null ? null : roles.get(name);
    }

    /** @return the clients in name order (read only view) */
    public Collection<Client> clients() {
        return Collections.unmodifiableCollection(clients.values());
    }

    public Collection<Group> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    public Collection<Role> roles() {
        return Collections.unmodifiableCollection(roles.values());
    }

    public DefaultAccess defaultAccess() {
        return defaultAccess;
    }

    public void defaultAccess(DefaultAccess value) {
        defaultAccess = value;
    }

    /** @return the group whose roles apply to clients without a user name, or null */
    public Group anonymousGroup() {
        return anonymousGroup;
    }

    public void anonymousGroup(Group group) {
        anonymousGroup = group;
    }

    /** @return false (and nothing added) if the name is taken */
    public boolean add(Client client) {
        return clients.putIfAbsent(client.name(), client) == null;
    }

    public boolean add(Group group) {
        return groups.putIfAbsent(group.name(), group) == null;
    }

    public boolean add(Role role) {
        return roles.putIfAbsent(role.name(), role) == null;
    }

    /** Remove a client and its group memberships. */
    public void remove(Client client) {
        for (Link<Group> link : client.groups) {
            Link.remove(link.target().clients, client.name());
        }
        client.groups.clear();
        clients.remove(client.name());
    }

    /** Remove a group and its memberships; if it was the anonymous group, there is none afterwards. */
    public void remove(Group group) {
        for (Link<Client> member : group.clients) {
            Link.remove(member.target().groups, group.name());
        }
        group.clients.clear();
        groups.remove(group.name());
        if (anonymousGroup == group) {
            anonymousGroup = null;
        }
    }

    /** Remove a role from the model and from every client and group that had it. */
    public void remove(Role role) {
        for (Client client : clients.values()) {
            client.removeRole(role.name());
        }
        for (Group group : groups.values()) {
            group.removeRole(role.name());
        }
        roles.remove(role.name());
    }

    /** @return false if the client already is a member */
    public boolean addMember(Group group, Client client, int priority) {
        if (Link.find(group.clients, client.name()) != null) {
            return false;
        }
        Link.insert(group.clients, client, priority);
        Link.insert(client.groups, group, priority);
        return true;
    }

    public void removeMember(Group group, Client client) {
        Link.remove(group.clients, client.name());
        Link.remove(client.groups, group.name());
    }

    /** Remove the client from every group. */
    public void leaveAllGroups(Client client) {
        for (Link<Group> link : new ArrayList<>(client.groups)) {
            removeMember(link.target(), client);
        }
    }

    /** Remove every member of the group. */
    public void removeAllMembers(Group group) {
        for (Link<Client> member : new ArrayList<>(group.clients)) {
            removeMember(group, member.target());
        }
    }

    /** @return the clients that have the role directly (not through a group) */
    public List<Client> clientsWithRole(Role role) {
        List<Client> result = new ArrayList<>();
        for (Client client : clients.values()) {
            if (Link.find(client.roles, role.name()) != null) {
                result.add(client);
            }
        }
        return result;
    }

    /** @return the groups that have the role */
    public List<Group> groupsWithRole(Role role) {
        List<Group> result = new ArrayList<>();
        for (Group group : groups.values()) {
            if (Link.find(group.roles, role.name()) != null) {
                result.add(group);
            }
        }
        return result;
    }
}
