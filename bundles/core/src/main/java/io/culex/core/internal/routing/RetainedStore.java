package io.culex.core.internal.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retained messages, one per topic, in a trie by topic level so that a wildcard subscription finds its matches
 * without scanning every retained topic.
 *
 * <p>One lock guards the store: a message handed out by {@link #match} is retained under the same lock that a
 * replacing {@link #put} releases it under, so no reader ever sees a released message.
 */
public final class RetainedStore {

    private final Node root = new Node(null, null);
    private long count;

    /**
     * Store a message as the retained message of its topic, replacing any earlier one. Retains the message.
     */
    public synchronized void put(Message message) {
        Node node = root;
        String topic = message.topic();
        int start = 0;
        while (true) {
            int end = levelEnd(topic, start);
            node = node.child(topic.substring(start, end));
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        message.retain();
        Message previous = node.message;
        node.message = message;
        if (previous != null) {
            previous.release();
        } else {
            count++;
        }
    }

    /**
     * Clear the retained message of a topic (an empty retained publish).
     */
    public synchronized void remove(String topic) {
        Node node = root;
        int start = 0;
        while (node != null) {
            int end = levelEnd(topic, start);
            node = node.children == null ? null : node.children.get(topic.substring(start, end));
            if (end == topic.length()) {
                break;
            }
            start = end + 1;
        }
        if (node == null || node.message == null) {
            return;
        }
        node.message.release();
        node.message = null;
        count--;
        while (node.parent != null && node.message == null && (node.children == null || node.children.isEmpty())) {
            node.parent.children.remove(node.level);
            node = node.parent;
        }
    }

    /**
     * Collect the retained messages matching a topic filter. Each message added is retained for the caller, who
     * must release it.
     */
    public synchronized void match(String filter, List<Message> out) {
        matchLevel(root, filter, 0, true, out);
    }

    /** @return the number of retained messages */
    public synchronized long size() {
        return count;
    }

    /** Release every message (broker shutdown). */
    public synchronized void clear() {
        releaseAll(root);
        root.children = null;
        count = 0;
    }

    private void matchLevel(Node node, String filter, int start, boolean firstLevel, List<Message> out) {
        if (node.children == null) {
            return;
        }
        int end = levelEnd(filter, start);
        boolean last = end == filter.length();
        String level = filter.substring(start, end);
        if (level.equals("#")) {
            for (Map.Entry<String, Node> child : node.children.entrySet()) {
                if (!(firstLevel && child.getKey().startsWith("$"))) {
                    collectAll(child.getValue(), out);
                }
            }
            return;
        }
        if (level.equals("+")) {
            for (Map.Entry<String, Node> child : node.children.entrySet()) {
                if (!(firstLevel && child.getKey().startsWith("$"))) {
                    visit(child.getValue(), filter, end, last, out);
                }
            }
            return;
        }
        Node child = node.children.get(level);
        if (child != null) {
            visit(child, filter, end, last, out);
        }
    }

    private void visit(Node node, String filter, int end, boolean last, List<Message> out) {
        if (last) {
            add(node, out);
        } else {
            // "a/#" also matches "a" itself
            if (filter.startsWith("#", end + 1) && end + 2 == filter.length()) {
                add(node, out);
            }
            matchLevel(node, filter, end + 1, false, out);
        }
    }

    private static void collectAll(Node node, List<Message> out) {
        add(node, out);
        if (node.children != null) {
            for (Node child : node.children.values()) {
                collectAll(child, out);
            }
        }
    }

    private static void add(Node node, List<Message> out) {
        if (node.message != null) {
            out.add(node.message.retain());
        }
    }

    private static void releaseAll(Node node) {
        if (node.message != null) {
            node.message.release();
            node.message = null;
        }
        if (node.children != null) {
            node.children.values().forEach(RetainedStore::releaseAll);
        }
    }

    private static int levelEnd(String topic, int start) {
        int slash = topic.indexOf('/', start);
        return slash < 0 ? topic.length() : slash;
    }

    private static final class Node {
        final String level;
        final Node parent;
        Map<String, Node> children;
        Message message;

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }

        Node child(String childLevel) {
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(childLevel, l -> new Node(l, this));
        }
    }
}
