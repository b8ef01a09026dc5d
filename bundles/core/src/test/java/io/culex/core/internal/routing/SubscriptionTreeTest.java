package io.culex.core.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.netty.channel.EventLoop;

class SubscriptionTreeTest {

    private static final class Named implements Subscriber {
        final String name;
        final Backlog backlog;

        Named(String name) {
            this.backlog = new Backlog(name);
            this.name = name;
        }

        @Override
        public EventLoop loop() {
            return null;
        }

        @Override
        public String clientId() {
            return name;
        }

        @Override
        public boolean isOnline() {
            return true;
        }

        @Override
        public void deliver(Message message, Subscription subscription) {
        }

        @Override
        public Backlog backlog() {
            return backlog;
        }

        @Override
        public int subscriptionCount() {
            return 1;
        }
    }

    private final SubscriptionTree tree = new SubscriptionTree();

    private Set<String> matches(String topic) {
        List<Subscription> out = new ArrayList<>();
        tree.match(topic, out);
        Set<String> filters = new TreeSet<>();
        out.forEach(s -> filters.add(s.filter()));
        return filters;
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "a/b/c, a/b/c, true",
            "a/b/c, a/+/c, true",
            "a/b/c, a/#, true",
            "a, a/#, true",
            "a/b, a/+, true",
            "a, a/+, false",
            "a/b/c, a/+, false",
            "a/b/c, #, true",
            "/a, +/a, true",
            "/a, /+, true",
            "a//b, a/+/b, true",
            "a/, a/+, true",
            "$SYS/x, #, false",
            "$SYS/x, +/x, false",
            "$SYS/x, $SYS/#, true",
            "$SYS/x, $SYS/+, true",
            "a/$x, a/+, true",
            "A/b, a/b, false"})
    void matchesLikeMqttSays(String topic, String filter, boolean expected) {
        tree.subscribe(new Subscription(new Named("s"), filter, 0));
        assertEquals(expected, matches(topic).contains(filter));
    }

    @Test
    void replacesSameFilterOfSameSubscriber() {
        Named s = new Named("s");
        assertNull(tree.subscribe(new Subscription(s, "a/b", 0)));
        Subscription previous = tree.subscribe(new Subscription(s, "a/b", 2));
        assertEquals(0, previous.qos());
        List<Subscription> out = new ArrayList<>();
        tree.match("a/b", out);
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).qos());
        assertEquals(1, tree.size());
    }

    @Test
    void unsubscribeRemovesOnlyThatSubscriberAndPrunes() {
        Named s1 = new Named("1");
        Named s2 = new Named("2");
        tree.subscribe(new Subscription(s1, "a/+/c", 1));
        tree.subscribe(new Subscription(s2, "a/+/c", 1));
        assertTrue(tree.unsubscribe(s1, "a/+/c"));
        assertFalse(tree.unsubscribe(s1, "a/+/c"));
        List<Subscription> out = new ArrayList<>();
        tree.match("a/b/c", out);
        assertEquals(1, out.size());
        assertEquals(s2, out.get(0).subscriber());
        assertTrue(tree.unsubscribe(s2, "a/+/c"));
        assertEquals(0, tree.size());
        assertTrue(matches("a/b/c").isEmpty());
    }
}
