package io.culex.dynsec.internal.model;

import java.util.ArrayList;
import java.util.List;

/** A group: roles shared by its clients. Group membership is kept on both sides, as in Mosquitto. */
public final class Group extends Named {

    final List<Link<Role>> roles = new ArrayList<>();
    /** Members ordered by user name; the priority is the group's priority for that client. */
    final List<Link<Client>> clients = new ArrayList<>();

    public Group(String name) {
        super(name);
    }

    /** @return the roles in check order (read only) */
    public List<Link<Role>> roles() {
        return List.copyOf(roles);
    }

    /** @return the members ordered by user name (read only) */
    public List<Link<Client>> clients() {
        return List.copyOf(clients);
    }

    /** @return false if the group already has the role */
    public boolean addRole(Role role, int priority) {
        return Link.insert(roles, role, priority);
    }

    public boolean removeRole(String roleName) {
        return Link.remove(roles, roleName);
    }

    /** Replace the roles by the given ones, in Mosquitto's order. */
    public void replaceRoles(List<Link<Role>> newRoles) {
        roles.clear();
        for (Link<Role> link : newRoles) {
            Link.insert(roles, link.target(), link.priority());
        }
    }
}
