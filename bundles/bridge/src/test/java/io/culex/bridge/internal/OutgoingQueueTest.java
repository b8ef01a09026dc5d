package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.mqtt.MqttProperties;

class OutgoingQueueTest {

    private final List<String> finished = new ArrayList<>();
    private final OutgoingQueue queue = new OutgoingQueue(new PacketIds());

    private OutgoingMessage message(String topic) {
        return new OutgoingMessage(topic, new byte[0], 1, false, MqttProperties.NO_PROPERTIES,
                () -> finished.add(topic));
    }

    @Test
    void theWindowLimitsWhatIsInFlight() {
        queue.add(message("a"));
        queue.add(message("b"));
        queue.add(message("c"));
        OutgoingMessage a = queue.nextToSend(2);
        OutgoingMessage b = queue.nextToSend(2);
        assertNull(queue.nextToSend(2), "two in flight");
        assertEquals(List.of("a", "b"), List.of(a.topic, b.topic));
        assertSame(a, queue.acknowledge(a.packetId));
        assertEquals("c", queue.nextToSend(2).topic);
        assertEquals(2, queue.size());
    }

    @Test
    void withoutASessionUnacknowledgedMessagesAreSentAgainFirstAndReleasedOnesAreDone() {
        queue.add(message("a"));
        queue.add(message("b"));
        queue.add(message("c"));
        queue.add(message("d"));
        OutgoingMessage a = queue.nextToSend(3);
        OutgoingMessage b = queue.nextToSend(3);
        queue.nextToSend(3);
        b.released = true; // QoS 2: PUBREC came, the remote broker has it
        List<OutgoingMessage> delivered = queue.restartWithoutSession();
        assertEquals(List.of(b), delivered);
        List<String> order = new ArrayList<>();
        for (OutgoingMessage next = queue.nextToSend(10); next != null; next = queue.nextToSend(10)) {
            order.add(next.topic);
        }
        assertEquals(List.of("a", "c", "d"), order, "in their original order");
        assertEquals(0, b.packetId);
        assertEquals(a, queue.inFlight(a.packetId));
    }

    @Test
    void staleStateNotificationsAreRemovedWaitingOrInFlight() {
        OutgoingMessage inFlight = message("$SYS/state");
        inFlight.bridgeState = true;
        OutgoingMessage waiting = message("$SYS/state");
        waiting.bridgeState = true;
        queue.add(inFlight);
        queue.add(message("a"));
        queue.nextToSend(1);
        queue.add(waiting);
        queue.removeBridgeState();
        assertEquals(1, queue.size());
        assertEquals("a", queue.nextToSend(1).topic);
    }

    @Test
    void drainingGivesBackEverythingOnce() {
        queue.add(message("a"));
        queue.add(message("b"));
        queue.nextToSend(1);
        List<OutgoingMessage> all = queue.drain();
        all.forEach(OutgoingMessage::finish);
        all.forEach(OutgoingMessage::finish);
        assertEquals(List.of("a", "b"), finished, "finish runs once per message");
        assertEquals(0, queue.size());
    }

    @Test
    void packetIdsAreReusedOnlyWhenFree() {
        PacketIds ids = new PacketIds();
        int first = ids.allocate();
        int second = ids.allocate();
        ids.release(first);
        for (int i = 0; i < 65533; i++) {
            ids.allocate();
        }
        assertEquals(first, ids.allocate(), "the only free one left");
        assertEquals(2, second);
    }
}
