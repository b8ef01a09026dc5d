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

    /** Told of every change under the store's lock, so in the order the store applied them (a persistence store). */
    public interface Observer {
        void set(Message message);

        void cleared(String topic);
    }

    private static final Observer NONE = new Observer() {
        @Override
        public void set(Message message) {
        }

        @Override
        public void cleared(String topic) {
        }
    };

    private final Node root = new Node(null, null);
    private long count;
    private Observer observer = NONE;

    /** @param newObserver told of every change from now on; {@code null} for none */
    public synchronized void observe(Observer newObserver) {
        observer = newObserver == null ? NONE : newObserver;
    }

    /**
     * Store a message as the retained message of its topic, replacing any earlier one. Retains the message.
     */
    public synchronized void put(Message message) {
        if (store(message, true)) {
            observer.set(message);
        }
    }

    /**
     * A retained message from a store: kept only if its topic has none (the running broker's is newer). The
     * observer is not told (the store has it). Retains the message if kept.
     *
     * @return whether it was kept
     */
    public synchronized boolean restore(Message message) {
        return store(message, false);
    }

    /** Call every retained message, under the lock (a store's snapshot); the consumer must not keep them. */
    public synchronized void forEach(java.util.function.Consumer<Message> consumer) {
        forEach(root, consumer);
    }

    private static void forEach(Node node, java.util.function.Consumer<Message> consumer) {
        if (node.message != null) {
            consumer.accept(node.message);
        }
        if (node.children != null) {
            for (Node child : node.children.values()) {
                forEach(child, consumer);
            }
        }
    }

    /** @return whether the message was stored */
    private boolean store(Message message, boolean replace) {
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
        Message previous = node.message;
        if (previous != null && !replace) {
            return false;
        }
        message.retain();
        node.message = message;
        if (previous != null) {
            previous.release();
        } else {
            count++;
        }
        return true;
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
        observer.cleared(topic);
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
