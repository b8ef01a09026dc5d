package io.culex.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Who answers for a moving session's messages, and the order what waited for its arrival is routed in. */
class MovingSessionsTest {

    private final MovingSessions moving = new MovingSessions(new FilterIndex(new RemoteFilters(), Runnable::run));

    @Test
    void whatWaitsForAnArrivingSessionRunsOnceItArrivesInOrder() {
        List<String> routed = new ArrayList<>();
        moving.arriving("c1", "old-owner");
        moving.whenArrived("c1", () -> routed.add("m1"));
        moving.whenArrived("c1", () -> routed.add("m2"));
        assertEquals(List.of(), routed, "held until the import is complete");
        moving.arrived("c1");
        assertEquals(List.of("m1", "m2"), routed);
        moving.whenArrived("c1", () -> routed.add("m3"));
        assertEquals(List.of("m1", "m2", "m3"), routed, "once here, at once");
    }

    @Test
    void aMessageComingWhileTheHeldOnesRunWaitsBehindThem() {
        List<String> routed = new ArrayList<>();
        moving.arriving("c1", "old-owner");
        // m1's routing lets m2 in (another thread would, in the broker): m2 must not overtake what is still held
        moving.whenArrived("c1", () -> {
            routed.add("m1");
            moving.whenArrived("c1", () -> routed.add("m3"));
        });
        moving.whenArrived("c1", () -> routed.add("m2"));
        moving.arrived("c1");
        assertEquals(List.of("m1", "m2", "m3"), routed);
    }

    @Test
    void aSessionArrivingAgainWaitsAgain() {
        List<String> routed = new ArrayList<>();
        moving.arriving("c1", "a");
        moving.arrived("c1");
        moving.arriving("c1", "b");
        moving.whenArrived("c1", () -> routed.add("m1"));
        assertEquals(List.of(), routed);
        moving.arrived("c1");
        assertEquals(List.of("m1"), routed);
    }

    @Test
    void theOldOwnerAnswersForWhatItGotToo() {
        moving.arriving("c1", "a");
        assertEquals(Set.of("c1"), moving.leftToPrevious("a", List.of()), "published on the old owner");
        assertEquals(Set.of("c1"), moving.leftToPrevious("c", List.of("a", "b")), "sent to the old owner too");
        assertEquals(Set.of(), moving.leftToPrevious("c", List.of()), "sent here only: this node answers");
        assertEquals(Set.of(), moving.leftToPrevious("c", List.of("b", "d")), "the old owner did not get it");
    }

    @Test
    void aShareGroupTheOldOwnerCanNoLongerServeGoesToTheNewOwner() {
        moving.movedAway("c1", "b", Set.of("plant/#", "$share/g/plant/+/temp"));
        assertEquals(java.util.Map.of("$share/g/plant/+/temp", "c1"),
                moving.sharedRelays("plant/hall/temp", group -> true));
        assertEquals("b", moving.ownerOf("c1"));
        assertEquals(java.util.Map.of(), moving.sharedRelays("plant/hall/temp", group -> false),
                "a group served otherwise (a member here, or known elsewhere) is not relayed");
        assertEquals(java.util.Map.of(), moving.sharedRelays("plant/hall", group -> true), "no matching group");
        assertEquals(java.util.Map.of("b", List.of("c1")), moving.match("plant/hall/temp", null),
                "its plain filter is relayed as before");
        moving.returned("c1");
        assertEquals(java.util.Map.of(), moving.sharedRelays("plant/hall/temp", group -> true), "back here");
    }
}
