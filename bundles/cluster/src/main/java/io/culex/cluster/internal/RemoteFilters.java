package io.culex.cluster.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filters the other nodes' subscriptions hold, as a trie from topic levels to the members that want messages
 * there: the question every forwarded message asks is "which nodes have a matching subscriber?".
 *
 * <p>Matching (once per message, on the forwarding broker thread) takes no lock; changes (from the cluster's event
 * threads) serialise on this object and publish through concurrent maps, as the core's subscription tree does. A
 * shared subscription ({@code $share/<group>/<filter>}) sits at its inner filter's node, kept apart from the plain
 * filters: a message goes to one member of each group, which the forwarder chooses.
 */
final class RemoteFilters {

    private static final String SHARE_PREFIX = "$share/";

    private final Node root = new Node(null, null);
    /** Per member, the filters it holds (as subscribed); under the lock. */
    private final Map<String, Set<String>> byMember = new HashMap<>();

    synchronized void add(String member, String filter) {
        if (!byMember.computeIfAbsent(member, m -> new HashSet<>()).add(filter)) {
            return;
        }
        Node node = root;
        for (String level : routedFilter(filter).split("/", -1)) {
            node = node.child(level);
        }
        if (isShared(filter)) {
            node.shared.computeIfAbsent(filter, f -> ConcurrentHashMap.newKeySet()).add(member);
        } else {
            node.members.merge(member, 1, Integer::sum);
        }
    }

    synchronized void remove(String member, String filter) {
        Set<String> filters = byMember.get(member);
        if (filters == null || !filters.remove(filter)) {
            return;
        }
        if (filters.isEmpty()) {
            byMember.remove(member);
        }
        unlink(member, filter);
    }

    /** A member left: forget all it held. */
    synchronized void removeMember(String member) {
        Set<String> filters = byMember.remove(member);
        if (filters != null) {
            filters.forEach(filter -> unlink(member, filter));
        }
    }

    /** @return how many filters the other members hold */
    synchronized int size() {
        return byMember.values().stream().mapToInt(Set::size).sum();
    }

    /** @return the members with a plain filter matching the topic, added to {@code out} */
    void match(String topic, Collection<String> out) {
        match(topic, out, null);
    }

    /**
     * @param plain receives the members with a plain filter matching the topic
     * @param groups receives, per matching shared filter ({@code $share/<group>/<filter>}), the members holding it;
     *     {@code null} to leave shared filters out
     */
    void match(String topic, Collection<String> plain, Map<String, Set<String>> groups) {
        String[] levels = topic.split("/", -1);
        match(root, levels, 0, !topic.startsWith("$"), plain, groups);
    }

    /**
     * The question asked while a message is routed, before it is handed to the forwarder: lock-free, stops at the
     * first hit.
     *
     * @return whether another member holds a filter (plain or shared) matching the topic
     */
    boolean matchesAny(String topic) {
        return matchesAny(root, topic.split("/", -1), 0, !topic.startsWith("$"));
    }

    private static boolean matchesAny(Node node, String[] levels, int depth, boolean wildcardsMatch) {
        Node hash = wildcardsMatch ? node.children.get("#") : null;
        if (hash != null && hash.holdsAny()) {
            return true;
        }
        if (depth == levels.length) {
            return node.holdsAny();
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null && matchesAny(exact, levels, depth + 1, true)) {
            return true;
        }
        Node plus = wildcardsMatch ? node.children.get("+") : null;
        return plus != null && matchesAny(plus, levels, depth + 1, true);
    }

    private static void match(Node node, String[] levels, int depth, boolean wildcardsMatch,
            Collection<String> plain, Map<String, Set<String>> groups) {
        Node hash = wildcardsMatch ? node.children.get("#") : null;
        if (hash != null) {
            collect(hash, plain, groups); // "a/#" matches "a" and everything below it
        }
        if (depth == levels.length) {
            collect(node, plain, groups);
            return;
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            match(exact, levels, depth + 1, true, plain, groups);
        }
        Node plus = wildcardsMatch ? node.children.get("+") : null;
        if (plus != null) {
            match(plus, levels, depth + 1, true, plain, groups);
        }
    }

    private static void collect(Node node, Collection<String> plain, Map<String, Set<String>> groups) {
        plain.addAll(node.members.keySet());
        if (groups != null && !node.shared.isEmpty()) {
            node.shared.forEach((filter, members) -> {
                if (!members.isEmpty()) {
                    groups.computeIfAbsent(filter, f -> new java.util.TreeSet<>()).addAll(members);
                }
            });
        }
    }

    private void unlink(String member, String filter) {
        String[] levels = routedFilter(filter).split("/", -1);
        Node node = root;
        for (String level : levels) {
            node = node.children.get(level);
            if (node == null) {
                return;
            }
        }
        if (isShared(filter)) {
            Set<String> members = node.shared.get(filter);
            if (members != null) {
                members.remove(member);
                if (members.isEmpty()) {
                    node.shared.remove(filter);
                }
            }
        } else {
            node.members.computeIfPresent(member, (m, count) -> count == 1 ? null : count - 1);
        }
        while (node.parent != null && node.members.isEmpty() && node.shared.isEmpty() && node.children.isEmpty()) {
            node.parent.children.remove(node.level);
            node = node.parent;
        }
    }

    static boolean isShared(String filter) {
        return filter.startsWith(SHARE_PREFIX) && filter.indexOf('/', SHARE_PREFIX.length()) > 0;
    }

    /** @return the filter topics are matched against: a shared subscription's inner filter */
    static String routedFilter(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            int groupEnd = filter.indexOf('/', SHARE_PREFIX.length());
            if (groupEnd > 0) {
                return filter.substring(groupEnd + 1);
            }
        }
        return filter;
    }

    private static final class Node {
        final String level;
        final Node parent;
        final Map<String, Node> children = new ConcurrentHashMap<>(2);
        final Map<String, Integer> members = new ConcurrentHashMap<>(2);
        /** Shared filter (as subscribed) to the members holding it. */
        final Map<String, Set<String>> shared = new ConcurrentHashMap<>(2);

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }

        Node child(String childLevel) {
            return children.computeIfAbsent(childLevel, l -> new Node(l, this));
        }

        boolean holdsAny() {
            if (!members.isEmpty()) {
                return true;
            }
            for (Set<String> holders : shared.values()) {
                if (!holders.isEmpty()) {
                    return true;
                }
            }
            return false;
        }
    }
}
