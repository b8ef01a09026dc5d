package io.culex.sys.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoadAveragesTest {

    private final CountingStatistics stats = new CountingStatistics();
    private final LoadAverages load = new LoadAverages("publish/received", s -> s.stats().publishReceived());

    private Sample sample() {
        return new Sample(stats, 0, 0, 0);
    }

    private List<SysMessage> update(double elapsedSeconds) {
        List<SysMessage> out = new ArrayList<>();
        load.update(sample(), elapsedSeconds, out);
        return out;
    }

    @Test
    void theFirstUpdatePublishesZeroForEachWindow() {
        stats.publishReceived = 500; // what happened before the tree started does not count
        List<SysMessage> out = new ArrayList<>();
        load.start(sample(), out);
        assertEquals(List.of(
                new SysMessage("$SYS/broker/load/publish/received/1min", "0.00", true),
                new SysMessage("$SYS/broker/load/publish/received/5min", "0.00", true),
                new SysMessage("$SYS/broker/load/publish/received/15min", "0.00", true)), out);
        assertEquals(List.of(), update(10), "no new messages: the averages stay at 0");
    }

    @Test
    void eachWindowMovesTowardsTheRateByMosquittosExponent() {
        load.start(sample(), new ArrayList<>());
        stats.publishReceived = 10; // 10 in 10 s: 60 per minute
        List<SysMessage> out = update(10);
        // 60 * (1 - e^(-10/60)), 60 * (1 - e^(-10/300)), 60 * (1 - e^(-10/900))
        assertEquals(List.of("9.21", "1.97", "0.66"), out.stream().map(SysMessage::payload).toList());
        stats.publishReceived = 20;
        // 60 + e^(-1/6) * (9.2111 - 60) = 17.0081
        assertEquals("17.01", update(10).get(0).payload());
    }

    @Test
    void aSteadyRateIsReachedAndThenNothingIsPublished() {
        load.start(sample(), new ArrayList<>());
        for (int i = 1; i <= 1000; i++) {
            stats.publishReceived += 30; // 30 per 10 s: 180 per minute
            update(10);
        }
        stats.publishReceived += 30;
        assertEquals(List.of(), update(10), "the averages no longer move by 0.01");
    }

    @Test
    void movesAreComparedWithThePreviousUpdateNotWithWhatWasPublished() {
        load.start(sample(), new ArrayList<>());
        stats.publishReceived = 1; // 1 in 3600 s: 1/60 per minute
        List<SysMessage> out = update(3600);
        assertEquals(new SysMessage("$SYS/broker/load/publish/received/1min", "0.02", true), out.get(0));
        // no more messages: 1min decays from 0.0167 to 0.0031 in steps under 0.01, so (as in Mosquitto) the
        // retained 0.02 stays although the average is 0.00 by then
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(), update(10), "update " + i);
        }
    }

    @Test
    void theRateIsPerMinuteWhateverTheInterval() {
        load.start(sample(), new ArrayList<>());
        stats.publishReceived = 1;
        // 1 message in 1 s is 60 per minute; 1min after 1 s: 60 * (1 - e^(-1/60)) = 0.9917
        assertEquals("0.99", update(1).get(0).payload());
    }
}
