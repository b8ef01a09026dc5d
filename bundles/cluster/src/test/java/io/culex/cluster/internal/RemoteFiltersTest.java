package io.culex.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Which members a topic goes to: MQTT's matching rules over the other nodes' filters. */
class RemoteFiltersTest {

    private final RemoteFilters filters = new RemoteFilters();

    private Set<String> match(String topic) {
        Set<String> members = new TreeSet<>();
        filters.match(topic, members);
        return members;
    }

    @Test
    void wildcardsMatchAsInMqtt() {
        filters.add("b", "plant/+/temp");
        filters.add("c", "plant/#");
        filters.add("d", "plant/hall");
        assertEquals(Set.of("b", "c"), match("plant/hall/temp"));
        assertEquals(Set.of("c", "d"), match("plant/hall"));
        assertEquals(Set.of("c"), match("plant"), "a/# matches its parent level");
        assertEquals(Set.of(), match("office/hall/temp"));
        assertEquals(Set.of("b", "c"), match("plant//temp"), "+ matches an empty level");
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        filters.add("b", "#");
        filters.add("c", "+/broker/x");
        filters.add("d", "$SYS/#");
        assertEquals(Set.of("d"), match("$SYS/broker/x"));
        assertEquals(Set.of("b", "c"), match("sys/broker/x"), "the same levels without $ match both");
    }

    @Test
    void sharedSubscriptionsMatchLikeTheirFilterAndAreReportedPerGroup() {
        filters.add("b", "$share/workers/jobs/+");
        filters.add("c", "$share/workers/jobs/+");
        filters.add("c", "$share/audit/jobs/#");
        Set<String> plain = new TreeSet<>();
        java.util.Map<String, Set<String>> groups = new java.util.TreeMap<>();
        filters.match("jobs/1", plain, groups);
        assertEquals(Set.of(), plain, "no plain filter matches");
        assertEquals(java.util.Map.of("$share/workers/jobs/+", Set.of("b", "c"), "$share/audit/jobs/#", Set.of("c")),
                groups);
        filters.remove("b", "$share/workers/jobs/+");
        filters.remove("c", "$share/workers/jobs/+");
        filters.remove("c", "$share/audit/jobs/#");
        groups.clear();
        filters.match("jobs/1", plain, groups);
        assertEquals(java.util.Map.of(), groups);
    }

    @Test
    void aMemberIsMatchedOnceWhateverItHoldsAndForgottenWhenItLeaves() {
        filters.add("b", "a/#");
        filters.add("b", "a/+");
        filters.add("b", "$share/g/a/+");
        filters.add("c", "a/b");
        assertEquals(Set.of("b", "c"), match("a/b"));
        filters.remove("b", "a/+");
        assertEquals(Set.of("b", "c"), match("a/b"), "b still holds a/#");
        assertEquals(4 - 1, filters.size());
        filters.removeMember("b");
        assertEquals(Set.of("c"), match("a/b"));
        assertEquals(1, filters.size());
        filters.remove("c", "a/b");
        filters.remove("c", "a/b"); // twice: no harm
        assertEquals(Set.of(), match("a/b"));
        assertEquals(0, filters.size());
    }

    @Test
    void theRoutingTimeQuestionAgreesWithTheFullMatch() {
        filters.add("b", "plant/+/temp");
        filters.add("c", "plant/#");
        filters.add("d", "$SYS/broker/#");
        filters.add("e", "$share/g/jobs/+");
        String[] topics = {"plant/hall/temp", "plant", "office/x", "$SYS/broker/uptime", "$SYS/other", "jobs/1",
            "jobs/1/2", "jobs", ""};
        for (String topic : topics) {
            Set<String> plain = new TreeSet<>();
            java.util.Map<String, Set<String>> groups = new java.util.TreeMap<>();
            filters.match(topic, plain, groups);
            assertEquals(!plain.isEmpty() || !groups.isEmpty(), filters.matchesAny(topic), topic);
        }
        filters.remove("e", "$share/g/jobs/+");
        filters.removeMember("c");
        assertFalse(filters.matchesAny("jobs/1"), "a removed share group no longer matches");
        assertFalse(filters.matchesAny("plant"), "a departed member's filters no longer match");
        assertTrue(filters.matchesAny("plant/a/temp"));
    }
}
