package io.culex.dynsec.internal.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.culex.api.Access;
import io.culex.api.Decision;
import io.culex.dynsec.internal.model.Acl;
import io.culex.dynsec.internal.model.AclType;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.DefaultAccess;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Password;
import io.culex.dynsec.internal.model.Role;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * An immutable view of the model made for the checks on the network threads: per user, the roles to consult in
 * Mosquitto's order (the client's own roles by priority, then each of its groups by priority with that group's
 * roles by priority), each role's entries by priority. Compiled again after every change; a check is a map lookup
 * and a walk over the entries, without locks.
 */
public final class AccessRules {

    /** No clients, no groups, nothing allowed by default: every check defers. */
    public static final AccessRules EMPTY = compile(new SecurityModel());

    private static final String CONTROL_PREFIX = "$CONTROL";

    private final Map<String, User> users;
    private final List<RoleRules> anonymous;
    private final DefaultAccess defaults;

    private AccessRules(Map<String, User> users, List<RoleRules> anonymous, DefaultAccess defaults) {
        this.users = users;
        this.anonymous = anonymous;
        this.defaults = defaults;
    }

    /** What authentication needs to know about one user. */
    public record User(String clientId, boolean disabled, Password password, List<RoleRules> roles) {
    }

    public static AccessRules compile(SecurityModel model) {
        Map<String, RoleRules> roles = new HashMap<>();
        for (Role role : model.roles()) {
            roles.put(role.name(), new RoleRules(role));
        }
        Map<String, User> users = new HashMap<>();
        for (Client client : model.clients()) {
            List<RoleRules> chain = new ArrayList<>();
            addRoles(chain, client.roles(), roles);
            for (Link<Group> group : client.groups()) {
                addRoles(chain, group.target().roles(), roles);
            }
            users.put(client.name(),
                    new User(client.clientId(), client.disabled(), client.password(), List.copyOf(chain)));
        }
        List<RoleRules> anonymous = null;
        if (model.anonymousGroup() != null) {
            List<RoleRules> chain = new ArrayList<>();
            addRoles(chain, model.anonymousGroup().roles(), roles);
            anonymous = List.copyOf(chain);
        }
        return new AccessRules(Map.copyOf(users), anonymous, model.defaultAccess());
    }

    private static void addRoles(List<RoleRules> chain, List<Link<Role>> links, Map<String, RoleRules> roles) {
        for (Link<Role> link : links) {
            RoleRules rules = roles.get(link.name());
            if (rules != null) {
                chain.add(rules);
            }
        }
    }

    /** @return the user with this name, or null */
    public User user(String username) {
        return username == null ? null : users.get(username);
    }

    /**
     * Mosquitto's {@code dynsec__acl_check_callback}: the first matching entry of the first role that has one
     * decides; without one, the default access allows (except on {@code $CONTROL} topics) or defers. An unknown
     * user name defers, so another plugin may answer for it.
     */
    public Decision authorize(String username, Access access, String topic) {
        List<RoleRules> chain;
        if (username != null) {
            User user = users.get(username);
            if (user == null) {
                return Decision.DEFER;
            }
            chain = user.roles();
        } else {
            chain = anonymous == null ? List.of() : anonymous;
        }
        for (RoleRules role : chain) {
            Decision decision = role.check(access, topic);
            if (decision != Decision.DEFER) {
                return decision;
            }
        }
        if (!defaultAllows(access) || topic.startsWith(CONTROL_PREFIX)) {
            return Decision.DEFER;
        }
        return Decision.ALLOW;
    }

    private boolean defaultAllows(Access access) {
        return switch (access) {
            case PUBLISH -> defaults.publishClientSend();
            case DELIVER -> defaults.publishClientReceive();
            case SUBSCRIBE -> defaults.subscribe();
            case UNSUBSCRIBE -> defaults.unsubscribe();
        };
    }

    /** One role's entries, ready for checks. */
    static final class RoleRules {
        private final List<Acl> publishSend;
        private final List<Acl> publishReceive;
        private final Map<String, Acl> subscribeLiteral;
        private final List<Acl> subscribePattern;
        private final Map<String, Acl> unsubscribeLiteral;
        private final List<Acl> unsubscribePattern;

        RoleRules(Role role) {
            publishSend = role.acls(AclType.PUBLISH_CLIENT_SEND);
            publishReceive = role.acls(AclType.PUBLISH_CLIENT_RECEIVE);
            subscribeLiteral = byTopic(role.acls(AclType.SUBSCRIBE_LITERAL));
            subscribePattern = role.acls(AclType.SUBSCRIBE_PATTERN);
            unsubscribeLiteral = byTopic(role.acls(AclType.UNSUBSCRIBE_LITERAL));
            unsubscribePattern = role.acls(AclType.UNSUBSCRIBE_PATTERN);
        }

        private static Map<String, Acl> byTopic(List<Acl> acls) {
            Map<String, Acl> map = new HashMap<>();
            for (Acl acl : acls) {
                map.putIfAbsent(acl.topic(), acl);
            }
            return Map.copyOf(map);
        }

        Decision check(Access access, String topic) {
            return switch (access) {
                case PUBLISH -> firstMatch(publishSend, topic);
                case DELIVER -> firstMatch(publishReceive, topic);
                case SUBSCRIBE -> subscription(subscribeLiteral, subscribePattern, topic);
                case UNSUBSCRIBE -> subscription(unsubscribeLiteral, unsubscribePattern, topic);
            };
        }

        private static Decision firstMatch(List<Acl> acls, String topic) {
            for (Acl acl : acls) {
                if (TopicMatching.matches(acl.topic(), topic)) {
                    return acl.allow() ? Decision.ALLOW : Decision.DENY;
                }
            }
            return Decision.DEFER;
        }

        /** The literal entry for exactly this filter wins over every pattern, whatever the priorities. */
        private static Decision subscription(Map<String, Acl> literal, List<Acl> patterns, String filter) {
            Acl exact = literal.get(filter);
            if (exact != null) {
                return exact.allow() ? Decision.ALLOW : Decision.DENY;
            }
            for (Acl acl : patterns) {
                if (TopicMatching.covers(acl.topic(), filter)) {
                    return acl.allow() ? Decision.ALLOW : Decision.DENY;
                }
            }
            return Decision.DEFER;
        }
    }
}
