package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void oneValueIsAConstantWait() {
        RestartBackoff backoff = new RestartBackoff(7, 0, (low, high) -> high);
        assertEquals(List.of(7, 7, 7), List.of(backoff.nextDelaySeconds(), backoff.nextDelaySeconds(),
                backoff.nextDelaySeconds()));
    }

    @Test
    void twoValuesGrowAsDecorrelatedJitterUpToTheCap() {
        List<int[]> ranges = new ArrayList<>();
        RestartBackoff backoff = new RestartBackoff(5, 30, (low, high) -> {
            ranges.add(new int[] {low, high});
            return high; // the largest wait the jitter could pick
        });
        assertEquals(15, backoff.nextDelaySeconds(), "between the base and three times the base");
        assertEquals(30, backoff.nextDelaySeconds(), "three times 15 is capped at 30");
        assertEquals(30, backoff.nextDelaySeconds());
        assertEquals(5, ranges.get(0)[0]);
        assertEquals(15, ranges.get(0)[1]);
        assertEquals(45, ranges.get(1)[1]);
    }

    @Test
    void theSmallestJitterStaysAtTheBase() {
        RestartBackoff backoff = new RestartBackoff(5, 30, (low, high) -> low);
        assertEquals(5, backoff.nextDelaySeconds());
        assertEquals(5, backoff.nextDelaySeconds());
    }

    @Test
    void aSuccessfulConnectionStartsOverFromTheBase() {
        RestartBackoff backoff = new RestartBackoff(2, 60, (low, high) -> high);
        backoff.nextDelaySeconds();
        backoff.nextDelaySeconds();
        backoff.reset();
        assertEquals(6, backoff.nextDelaySeconds());
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RestartBackoff(30, 10, (low, high) -> low));
    }
}
