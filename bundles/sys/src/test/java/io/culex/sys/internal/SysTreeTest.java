package io.culex.sys.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SysTreeTest {

    private static final long SECOND = 1_000_000_000L;

    private final CountingStatistics stats = new CountingStatistics();
    private final SysTree tree = new SysTree("9.8.7");
    private long heapUsed = 1000;
    private long heapMaximum = 1000;
    private long now = 5 * SECOND;

    private List<SysMessage> update() {
        return tree.update(new Sample(stats, heapUsed, heapMaximum, now));
    }

    private List<SysMessage> updateAfter(long seconds) {
        now += seconds * SECOND;
        stats.uptime += seconds;
        return update();
    }

    private static Map<String, String> byTopic(List<SysMessage> messages) {
        Map<String, String> map = new LinkedHashMap<>();
        messages.forEach(m -> map.put(m.topic().substring(SysTree.PREFIX.length()), m.payload()));
        return map;
    }

    @Test
    void theFirstUpdatePublishesEveryTopicOfMosquitto20() {
        stats.sessions = 5;
        stats.connected = 3;
        stats.maximumConnected = 4;
        stats.expired = 1;
        stats.stored = 7;
        stats.storedBytes = 700;
        stats.subscriptions = 6;
        stats.shared = 2;
        stats.retained = 3;
        stats.messagesReceived = 11;
        stats.messagesSent = 12;
        stats.publishDropped = 13;
        stats.publishReceived = 14;
        stats.publishSent = 15;
        stats.bytesReceived = 16;
        stats.bytesSent = 17;
        stats.publishBytesReceived = 18;
        stats.publishBytesSent = 19;
        stats.uptime = 42;

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("version", "culex version 9.8.7");
        expected.put("uptime", "42 seconds");
        expected.put("clients/total", "5");
        expected.put("clients/maximum", "4");
        expected.put("clients/inactive", "2");
        expected.put("clients/disconnected", "2");
        expected.put("clients/active", "3");
        expected.put("clients/connected", "3");
        expected.put("clients/expired", "1");
        for (String load : List.of("messages/received", "messages/sent", "publish/dropped", "publish/received",
                "publish/sent", "bytes/received", "bytes/sent", "sockets", "connections")) {
            for (String window : List.of("1min", "5min", "15min")) {
                expected.put("load/" + load + "/" + window, "0.00");
            }
        }
        expected.put("messages/stored", "7");
        expected.put("store/messages/count", "7");
        expected.put("store/messages/bytes", "700");
        expected.put("subscriptions/count", "6");
        expected.put("shared_subscriptions/count", "2");
        expected.put("retained messages/count", "3");
        expected.put("heap/current", "1000");
        expected.put("heap/maximum", "1000");
        expected.put("messages/received", "11");
        expected.put("messages/sent", "12");
        expected.put("publish/messages/dropped", "13");
        expected.put("publish/messages/received", "14");
        expected.put("publish/messages/sent", "15");
        expected.put("bytes/received", "16");
        expected.put("bytes/sent", "17");
        expected.put("publish/bytes/received", "18");
        expected.put("publish/bytes/sent", "19");

        List<SysMessage> first = update();
        assertEquals(expected, byTopic(first));
        assertEquals(expected.size(), first.size(), "each topic once");
        assertFalse(first.get(0).expires(), "the version does not expire");
        assertTrue(first.stream().skip(1).allMatch(SysMessage::expires), "everything else does");
    }

    @Test
    void anUnchangedBrokerPublishesOnlyItsUptime() {
        update();
        assertEquals(Map.of("uptime", "10 seconds"), byTopic(updateAfter(10)));
        assertEquals(Map.of("uptime", "20 seconds"), byTopic(updateAfter(10)), "and never the version again");
    }

    @Test
    void aChangedCounterIsPublishedUnderEachOfItsTopics() {
        stats.sessions = 2;
        stats.connected = 2;
        update();
        stats.connected = 1; // one client went, its session stays
        Map<String, String> second = byTopic(updateAfter(10));
        second.remove("uptime");
        second.keySet().removeIf(topic -> topic.startsWith("load/"));
        assertEquals(Map.of("clients/inactive", "1", "clients/disconnected", "1", "clients/active", "1",
                "clients/connected", "1"), second);
    }

    @Test
    void aMaximumIsPublishedOnlyOnceAboveZeroAndWhenItGrows() {
        assertFalse(byTopic(update()).containsKey("clients/maximum"), "no client yet: Mosquitto publishes none");
        stats.maximumConnected = 2;
        assertEquals("2", byTopic(updateAfter(10)).get("clients/maximum"));
        assertFalse(byTopic(updateAfter(10)).containsKey("clients/maximum"), "unchanged");
        heapMaximum = 900; // a smaller maximum is never published
        assertFalse(byTopic(updateAfter(10)).containsKey("heap/maximum"));
        heapMaximum = 5000;
        assertEquals("5000", byTopic(updateAfter(10)).get("heap/maximum"));
    }

    @Test
    void tenPublishesMoveTheCountersByTenAndTheLoadsByTheirRate() {
        stats.publishReceived = 100;
        update();
        stats.publishReceived += 10;
        stats.publishBytesReceived += 50;
        Map<String, String> next = byTopic(updateAfter(10));
        assertEquals("110", next.get("publish/messages/received"));
        assertEquals("50", next.get("publish/bytes/received"));
        assertEquals("9.21", next.get("load/publish/received/1min"));
        assertEquals("1.97", next.get("load/publish/received/5min"));
        assertEquals("0.66", next.get("load/publish/received/15min"));
        assertFalse(next.containsKey("load/publish/sent/1min"), "nothing sent: that load stays at 0.00");
    }

    @Test
    void anUpdateWithoutElapsedTimeLeavesTheLoadsAlone() {
        update();
        stats.sockets = 5;
        stats.connects = 5;
        List<SysMessage> sameInstant = update();
        assertTrue(sameInstant.stream().noneMatch(m -> m.topic().contains("/load/")), sameInstant.toString());
        List<SysMessage> later = new ArrayList<>(updateAfter(60));
        // 5 in 60 s: 5 per minute; 1min: 5 * (1 - 1/e) = 3.16, counted from the first update's baseline
        assertEquals("3.16", byTopic(later).get("load/sockets/1min"));
        assertEquals("3.16", byTopic(later).get("load/connections/1min"));
    }
}
