package io.culex.core.internal.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * Packets a client pipelined after CONNECT (or after an AUTH reply) while extensions decide about it: held in
 * order, replayed once CONNACK (or the next AUTH step) is out, at most {@link #LIMIT} of them. On the connection's
 * loop; the holder owns each packet until it is replayed or released.
 */
final class PacketsHeldForAuthentication {

    /** Packets that may arrive before reading stops and the connection is refused for flooding. */
    static final int LIMIT = 64;

    private List<MqttMessage> packets;

    /** @return {@code false} if there are more than {@link #LIMIT} now: the caller closes the connection */
    boolean hold(MqttMessage packet) {
        if (packets == null) {
            packets = new ArrayList<>();
        }
        packets.add(packet);
        return packets.size() <= LIMIT;
    }

    /**
     * Hand the held packets, in order, to {@code handler}, which owns each from then on (it may hold one again,
     * for the next authentication step).
     */
    void replay(Consumer<MqttMessage> handler) {
        List<MqttMessage> held = packets;
        packets = null;
        if (held != null) {
            held.forEach(handler);
        }
    }

    /** Drop what is held (the connection closes). */
    void release() {
        if (packets != null) {
            packets.forEach(ReferenceCountUtil::release);
            packets = null;
        }
    }
}
