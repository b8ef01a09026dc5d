package io.culex.core.internal.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;

class RetainedStoreTest {

    private final RetainedStore store = new RetainedStore();

    private void put(String topic) {
        Message m = new Message(topic, Unpooled.copiedBuffer(new byte[] {1}), 1, true, "c");
        store.put(m);
        m.release();
    }

    private Set<String> match(String filter) {
        List<Message> out = new ArrayList<>();
        store.match(filter, out);
        Set<String> topics = new TreeSet<>();
        for (Message m : out) {
            topics.add(m.topic());
            m.release();
        }
        return topics;
    }

    @AfterEach
    void clear() {
        store.clear();
    }

    @Test
    void wildcardLookups() {
        put("a");
        put("a/b");
        put("a/b/c");
        put("a/x/c");
        put("$SYS/load");
        put("/lead");
        assertEquals(Set.of("a", "a/b", "a/b/c", "a/x/c", "/lead"), match("#"));
        assertEquals(Set.of("a", "a/b", "a/b/c", "a/x/c"), match("a/#"));
        assertEquals(Set.of("a/b/c", "a/x/c"), match("a/+/c"));
        assertEquals(Set.of("a/b"), match("a/+"));
        assertEquals(Set.of("a"), match("+"));
        assertEquals(Set.of("/lead"), match("+/lead"));
        assertEquals(Set.of("$SYS/load"), match("$SYS/#"));
        assertEquals(Set.of("a/b"), match("a/b"));
        assertEquals(6, store.size());
    }

    @Test
    void replaceAndRemove() {
        put("t");
        put("t");
        assertEquals(1, store.size());
        store.remove("t");
        store.remove("t");
        store.remove("never/was");
        assertEquals(0, store.size());
        assertEquals(Set.of(), match("#"));
    }
}
