package io.culex.dynsec.internal.model;

import java.util.ArrayList;
import java.util.List;

/** A client: a user name with an optional password and fixed client id, roles and group memberships. */
public final class Client extends Named {

    private String clientId;
    private boolean disabled;
    private Password password;
    final List<Link<Role>> roles = new ArrayList<>();
    final List<Link<Group>> groups = new ArrayList<>();

    public Client(String username) {
        super(username);
    }

    /** @return the client id the user must connect with, or null if any */
    public String clientId() {
        return clientId;
    }

    /** @param value the client id, or null or empty for any */
    public void clientId(String value) {
        clientId = value == null || value.isEmpty() ? null : value;
    }

    public boolean disabled() {
        return disabled;
    }

    public void disabled(boolean value) {
        disabled = value;
    }

    /** @return the password, or null if the client has none (then the dynamic security plugin defers) */
    public Password password() {
        return password;
    }

    public void password(Password value) {
        password = value;
    }

    /** @return the roles in check order (read only) */
    public List<Link<Role>> roles() {
        return List.copyOf(roles);
    }

    /** @return the groups in check order (read only) */
    public List<Link<Group>> groups() {
        return List.copyOf(groups);
    }

    /** @return false if the client already has the role */
    public boolean addRole(Role role, int priority) {
        return Link.insert(roles, role, priority);
    }

    public boolean removeRole(String roleName) {
        return Link.remove(roles, roleName);
    }

    public void clearRoles() {
        roles.clear();
    }
}
