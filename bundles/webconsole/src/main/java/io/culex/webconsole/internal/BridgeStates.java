package io.culex.webconsole.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.culex.bridge.BridgeState;
import io.culex.bridge.BridgeStatus;

/** The running bridges, as the bridge bundle registers them; shared by the MQTT page and /metrics. */
final class BridgeStates {

    private final Map<BridgeStatus, Boolean> running = new ConcurrentHashMap<>();

    void add(BridgeStatus status) {
        running.put(status, Boolean.TRUE);
    }

    void remove(BridgeStatus status) {
        running.remove(status);
    }

    /** @return a snapshot of every running bridge, sorted by name */
    List<BridgeState> snapshot() {
        Collection<BridgeStatus> now = List.copyOf(running.keySet());
        return now.stream().map(BridgeStatus::state)
                .sorted(java.util.Comparator.comparing(BridgeState::name)).toList();
    }
}
