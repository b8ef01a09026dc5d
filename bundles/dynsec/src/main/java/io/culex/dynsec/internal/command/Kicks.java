package io.culex.dynsec.internal.command;

import java.util.LinkedHashSet;
import java.util.Set;

import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Role;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * The clients to disconnect after a request, so that they connect again under the new rules (Mosquitto kicks them
 * in the same places). Collected while the commands run, applied after the file is saved.
 */
public final class Kicks {

    private final Set<String> usernames = new LinkedHashSet<>();
    private boolean anonymous;

    /** @return the user names to disconnect */
    public Set<String> usernames() {
        return Set.copyOf(usernames);
    }

    /** @return whether the clients without a user name are to be disconnected */
    public boolean anonymous() {
        return anonymous;
    }

    void user(String username) {
        usernames.add(username);
    }

    void anonymousClients() {
        anonymous = true;
    }

    /** Everyone the group's roles apply to: its members, and the anonymous clients if it is the anonymous group. */
    void group(Group group, SecurityModel model) {
        if (group == model.anonymousGroup()) {
            anonymous = true;
        }
        for (Link<Client> member : group.clients()) {
            usernames.add(member.name());
        }
    }

    /** Everyone the role applies to, directly or through a group. */
    void role(Role role, SecurityModel model) {
        for (Client client : model.clientsWithRole(role)) {
            usernames.add(client.name());
        }
        for (Group group : model.groupsWithRole(role)) {
            group(group, model);
        }
    }
}
