package io.culex.bridge.internal;

import java.util.BitSet;

/** The packet identifiers in use on the bridge's remote session (1..65535), shared by PUBLISH and SUBSCRIBE. */
final class PacketIds {

    private static final int MAX = 65535;

    private final BitSet used = new BitSet(MAX + 1);
    private int last;

    /**
     * @return a free identifier, now in use
     * @throws IllegalStateException if all 65535 are in use (the inflight window keeps far below that)
     */
    int allocate() {
        for (int i = 0; i < MAX; i++) {
            last = last == MAX ? 1 : last + 1;
            if (!used.get(last)) {
                used.set(last);
                return last;
            }
        }
        throw new IllegalStateException("no free packet identifier");
    }

    void release(int id) {
        used.clear(id);
    }

    void clear() {
        used.clear();
    }
}
