package io.culex.acl.file.internal;

import java.util.ArrayList;
import java.util.List;

import io.culex.api.Access;
import io.culex.api.Decision;

/**
 * Answers ACL checks from one {@link AclFile}, with Mosquitto 2.0's algorithm for PUBLISH (write) and DELIVER
 * (read):
 * <ol>
 * <li>the client's own list (its {@code user} section, or the anonymous lines when it has no user name): the
 *     first rule whose filter matches the topic decides if it is a {@code deny} (DENY) or grants the access
 *     (ALLOW); denials are tried first;</li>
 * <li>if patterns exist and the client id or user name contains {@code +} or {@code #}: DENY (such a name could
 *     widen a pattern);</li>
 * <li>the patterns, with {@code %c}/{@code %u} substituted, in the same way ({@code %u} patterns are skipped for a
 *     client without user name);</li>
 * <li>nothing matched: DENY.</li>
 * </ol>
 * A topic starting with {@code $} is matched only by rules whose filter starts with {@code $}.
 *
 * <p>SUBSCRIBE, which Mosquitto 2.0 does not check against the ACL file, is DENY when the client could never
 * receive anything through the filter, that is when
 * <ul>
 * <li>a {@code deny} rule of the client's list covers the filter (matches every topic the filter matches), or</li>
 * <li>no read grant of the client's list intersects the filter (matches some topic the filter matches) and either
 *     a pattern {@code deny} covers it or no read-granting pattern intersects it.</li>
 * </ul>
 * Otherwise ALLOW; every message is still checked at delivery. UNSUBSCRIBE is always ALLOW.
 */
final class AclEvaluator {

    private final AclFile acl;

    AclEvaluator(AclFile acl) {
        this.acl = acl;
    }

    Decision decide(String clientId, String username, Access access, String topic) {
        return switch (access) {
            case PUBLISH -> check(clientId, username, topic, true);
            case DELIVER -> check(clientId, username, topic, false);
            case SUBSCRIBE -> subscribe(clientId, username, topic);
            case UNSUBSCRIBE -> Decision.ALLOW;
        };
    }

    private Decision check(String clientId, String username, String topic, boolean write) {
        Decision own = firstMatch(ownRules(username), topic, write);
        if (own != null) {
            return own;
        }
        if (dangerousForPatterns(clientId, username)) {
            return Decision.DENY;
        }
        Decision pattern = firstMatch(substitutedPatterns(clientId, username), topic, write);
        return pattern != null ? pattern : Decision.DENY;
    }

    private Decision subscribe(String clientId, String username, String filter) {
        List<AclRule> own = ownRules(username);
        if (anyDenyCovers(own, filter)) {
            return Decision.DENY;
        }
        if (anyReadGrantIntersects(own, filter)) {
            return Decision.ALLOW;
        }
        if (dangerousForPatterns(clientId, username)) {
            return Decision.DENY;
        }
        List<AclRule> patterns = substitutedPatterns(clientId, username);
        if (anyDenyCovers(patterns, filter)) {
            return Decision.DENY;
        }
        return anyReadGrantIntersects(patterns, filter) ? Decision.ALLOW : Decision.DENY;
    }

    /** @return the deciding answer of the first matching rule, or {@code null} if none decides */
    private static Decision firstMatch(List<AclRule> rules, String topic, boolean write) {
        for (AclRule rule : rules) {
            if (!TopicFilters.matches(rule.filter(), topic)) {
                continue;
            }
            if (rule.access() == AclRule.Kind.DENY) {
                return Decision.DENY;
            }
            if (write ? rule.access().grantsWrite() : rule.access().grantsRead()) {
                return Decision.ALLOW;
            }
        }
        return null;
    }

    private static boolean anyDenyCovers(List<AclRule> rules, String filter) {
        return rules.stream().anyMatch(r -> r.access() == AclRule.Kind.DENY && TopicFilters.covers(r.filter(), filter));
    }

    private static boolean anyReadGrantIntersects(List<AclRule> rules, String filter) {
        return rules.stream().anyMatch(r -> r.access().grantsRead() && TopicFilters.intersect(r.filter(), filter));
    }

    private List<AclRule> ownRules(String username) {
        if (username == null) {
            return acl.anonymous();
        }
        return acl.users().getOrDefault(username, List.of());
    }

    private boolean dangerousForPatterns(String clientId, String username) {
        return !acl.patterns().isEmpty() && (containsWildcard(clientId) || containsWildcard(username));
    }

    private List<AclRule> substitutedPatterns(String clientId, String username) {
        List<AclRule> result = new ArrayList<>(acl.patterns().size());
        for (AclRule pattern : acl.patterns()) {
            if (username == null && pattern.usesUsername()) {
                continue;
            }
            result.add(new AclRule(pattern.access(), pattern.substitute(clientId, username), pattern.line()));
        }
        return result;
    }

    private static boolean containsWildcard(String name) {
        return name != null && (name.indexOf('+') >= 0 || name.indexOf('#') >= 0);
    }
}
