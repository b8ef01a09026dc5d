package io.culex.core.internal.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The subscription trie: one node per topic level, {@code +} and {@code #} as ordinary children.
 *
 * <p>Read-mostly: matching (once per publish, on any event loop) takes no lock and allocates only the level strings;
 * subscribing and unsubscribing (rare in comparison) serialise on one lock and publish their changes through
 * concurrent maps, so a concurrent match sees each subscription either before or after the change.
 *
 * <p>It also counts the subscriptions per filter (as subscribed, {@code $share/<group>/} included) of the
 * {@linkplain Subscriber#listed() listed} subscribers, and tells its {@link FilterObserver}s of each first and last
 * one, under the write lock, so that they see the changes in order.
 */
public final class SubscriptionTree {

    private static final String PLUS = "+";
    private static final String HASH = "#";

    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();
    private volatile long count;
    private volatile long sharedCount;
    /** Listed subscriptions per filter; under the write lock. */
    private final Map<String, Integer> listed = new HashMap<>();
    private final List<FilterObserver> observers = new CopyOnWriteArrayList<>();

    /** Told of each first and last listed subscription of a filter, under the tree's write lock: must be quick. */
    public interface FilterObserver {
        void filterAdded(String filter);

        void filterRemoved(String filter);
    }

    /** Tell an observer of every listed filter now, then of every change (nothing missed, nothing twice). */
    public void observe(FilterObserver observer) {
        synchronized (writeLock) {
            listed.keySet().forEach(observer::filterAdded);
            observers.add(observer);
        }
    }

    public void stopObserving(FilterObserver observer) {
        synchronized (writeLock) {
            observers.remove(observer);
        }
    }

    private void listedAdded(Subscription subscription) {
        if (subscription.subscriber().listed() && listed.merge(subscription.key(), 1, Integer::sum) == 1) {
            for (FilterObserver observer : observers) {
                observer.filterAdded(subscription.key());
            }
        }
    }

    private void listedRemoved(Subscriber subscriber, String key) {
        if (!subscriber.listed()) {
            return;
        }
        Integer count = listed.get(key);
        if (count == null) {
            return;
        }
        if (count > 1) {
            listed.put(key, count - 1);
            return;
        }
        listed.remove(key);
        for (FilterObserver observer : observers) {
            observer.filterRemoved(key);
        }
    }

    /**
     * Add or replace the subscription of its subscriber to its filter.
     *
     * @return the subscription it replaced, or {@code null}
     */
    public Subscription subscribe(Subscription subscription) {
        synchronized (writeLock) {
            Node node = root;
            String filter = subscription.filter();
            int start = 0;
            while (true) {
                int end = levelEnd(filter, start);
                node = node.childForWrite(filter.substring(start, end));
                if (end == filter.length()) {
                    break;
                }
                start = end + 1;
            }
            Subscription previous = subscription.shareGroup() == null
                    ? node.subscriptionsForWrite().put(subscription.subscriber(), subscription)
                    : node.sharedForWrite().computeIfAbsent(subscription.shareGroup(), g -> new SharedGroup())
                            .put(subscription);
            if (previous == null) {
                count++;
                if (subscription.shareGroup() != null) {
                    sharedCount++;
                }
                listedAdded(subscription);
            }
            return previous;
        }
    }

    /**
     * Remove a subscriber's subscription to a filter.
     *
     * @return whether there was one
     */
    public boolean unsubscribe(Subscriber subscriber, String filter) {
        SharedFilter shared = SharedFilter.parse(filter);
        synchronized (writeLock) {
            Node node = find(shared == null ? filter : shared.filter());
            if (node == null) {
                return false;
            }
            if (shared == null) {
                if (node.subscriptions == null || node.subscriptions.remove(subscriber) == null) {
                    return false;
                }
            } else {
                SharedGroup group = node.shared == null ? null : node.shared.get(shared.group());
                if (group == null || !group.remove(subscriber)) {
                    return false;
                }
                if (group.isEmpty()) {
                    node.shared.remove(shared.group());
                }
                sharedCount--;
            }
            count--;
            prune(node);
            listedRemoved(subscriber, filter);
            return true;
        }
    }

    /**
     * Collect the subscriptions whose filter matches a topic. A subscriber with several matching subscriptions
     * appears once per subscription.
     */
    public void match(String topic, List<Subscription> out) {
        matchLevel(root, topic, 0, !Topics.isDollarTopic(topic), out);
    }

    /** @return the number of subscriptions */
    public long size() {
        return count;
    }

    /** @return how many of them are shared subscriptions (members of a share group) */
    public long sharedSize() {
        return sharedCount;
    }

    private void matchLevel(Node node, String topic, int start, boolean wildcardsMatch, List<Subscription> out) {
        Map<String, Node> children = node.children;
        if (children == null) {
            return;
        }
        int end = levelEnd(topic, start);
        boolean last = end == topic.length();
        Node exact = children.get(topic.substring(start, end));
        if (exact != null) {
            descend(exact, topic, end, last, out);
        }
        if (wildcardsMatch) {
            Node plus = children.get(PLUS);
            if (plus != null) {
                descend(plus, topic, end, last, out);
            }
            Node hash = children.get(HASH);
            if (hash != null) {
                collect(hash, out);
            }
        }
    }

    private void descend(Node child, String topic, int end, boolean last, List<Subscription> out) {
        if (last) {
            collect(child, out);
            // "a/#" also matches "a": the multi-level wildcard includes the parent level
            Map<String, Node> grandChildren = child.children;
            if (grandChildren != null) {
                Node hash = grandChildren.get(HASH);
                if (hash != null) {
                    collect(hash, out);
                }
            }
        } else {
            matchLevel(child, topic, end + 1, true, out);
        }
    }

    private static void collect(Node node, List<Subscription> out) {
        Map<Subscriber, Subscription> subscriptions = node.subscriptions;
        if (subscriptions != null) {
            out.addAll(subscriptions.values());
        }
        Map<String, SharedGroup> shared = node.shared;
        if (shared != null) {
            for (SharedGroup group : shared.values()) {
                Subscription chosen = group.next();
                if (chosen != null) {
                    out.add(chosen);
                }
            }
        }
    }

    private Node find(String filter) {
        Node node = root;
        int start = 0;
        while (true) {
            Map<String, Node> children = node.children;
            if (children == null) {
                return null;
            }
            int end = levelEnd(filter, start);
            node = children.get(filter.substring(start, end));
            if (node == null || end == filter.length()) {
                return node;
            }
            start = end + 1;
        }
    }

    private static void prune(Node node) {
        while (node.parent != null && node.isEmpty()) {
            node.parent.children.remove(node.level);
            node = node.parent;
        }
    }

    private static int levelEnd(String topic, int start) {
        int slash = topic.indexOf('/', start);
        return slash < 0 ? topic.length() : slash;
    }

    private static final class Node {
        final String level;
        final Node parent;
        volatile ConcurrentHashMap<String, Node> children;
        volatile ConcurrentHashMap<Subscriber, Subscription> subscriptions;
        volatile ConcurrentHashMap<String, SharedGroup> shared;

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }

        Node childForWrite(String childLevel) {
            ConcurrentHashMap<String, Node> map = children;
            if (map == null) {
                map = new ConcurrentHashMap<>(2);
                children = map;
            }
            return map.computeIfAbsent(childLevel, l -> new Node(l, this));
        }

        ConcurrentHashMap<Subscriber, Subscription> subscriptionsForWrite() {
            ConcurrentHashMap<Subscriber, Subscription> map = subscriptions;
            if (map == null) {
                map = new ConcurrentHashMap<>(2);
                subscriptions = map;
            }
            return map;
        }

        ConcurrentHashMap<String, SharedGroup> sharedForWrite() {
            ConcurrentHashMap<String, SharedGroup> map = shared;
            if (map == null) {
                map = new ConcurrentHashMap<>(2);
                shared = map;
            }
            return map;
        }

        boolean isEmpty() {
            return (subscriptions == null || subscriptions.isEmpty()) && (children == null || children.isEmpty())
                    && (shared == null || shared.isEmpty());
        }
    }
}
