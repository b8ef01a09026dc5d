package io.culex.shell.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.culex.api.Broker;
import io.culex.api.SessionInfo;

/** The broker's sessions, read for a command: each on its own broker thread, so the shell waits for them. */
final class Sessions {

    private static final long TIMEOUT_SECONDS = 10;

    private Sessions() {
    }

    /** @return every session, connected or not, sorted by client id */
    static List<SessionInfo> all(Broker broker) throws Exception {
        return broker.sessions().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                .sorted(Comparator.comparing(SessionInfo::clientId))
                .toList();
    }
}
