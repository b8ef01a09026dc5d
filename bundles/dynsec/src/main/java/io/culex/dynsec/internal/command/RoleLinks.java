package io.culex.dynsec.internal.command;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.culex.dynsec.internal.json.Json;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Role;

/**
 * The {@code roles} argument of createClient, modifyClient, createGroup and modifyGroup:
 * {@code [{"rolename": "..", "priority": n}]}. Mosquitto's {@code dynsec_rolelist__load_from_json}.
 */
final class RoleLinks {

    static final String INVALID = "'roles' not an array or missing/invalid rolename";
    static final String NOT_FOUND = "Role not found";

    /** Whether the argument was there, and if so whether it was usable. */
    enum Outcome { ABSENT, OK, INVALID, ROLE_NOT_FOUND }

    final Outcome outcome;
    final List<Link<Role>> links;

    private RoleLinks(Outcome outcome, List<Link<Role>> links) {
        this.outcome = outcome;
        this.links = links;
    }

    static RoleLinks read(Request request) {
        JsonNode roles = Json.field(request.arguments(), "roles");
        if (roles == null) {
            return new RoleLinks(Outcome.ABSENT, List.of());
        }
        if (!roles.isArray()) {
            return new RoleLinks(Outcome.INVALID, List.of());
        }
        List<Link<Role>> links = new ArrayList<>();
        for (JsonNode entry : roles) {
            String name = Json.string(entry, "rolename");
            if (name == null) {
                return new RoleLinks(Outcome.INVALID, List.of());
            }
            Role role = request.model.role(name);
            if (role == null) {
                return new RoleLinks(Outcome.ROLE_NOT_FOUND, List.of());
            }
            if (links.stream().noneMatch(link -> link.name().equals(name))) {
                links.add(new Link<>(role, Json.intOr(entry, "priority", Link.NO_PRIORITY)));
            }
        }
        return new RoleLinks(Outcome.OK, links);
    }

    /** Answer the error if the argument was unusable. @return true if it was */
    boolean answeredError(Request request) {
        if (outcome == Outcome.INVALID) {
            request.error(INVALID);
            return true;
        } else if (outcome == Outcome.ROLE_NOT_FOUND) {
            request.error(NOT_FOUND);
            return true;
        }
        return false;
    }
}
