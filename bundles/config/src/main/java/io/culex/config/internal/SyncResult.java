package io.culex.config.internal;

import java.util.List;

/** What a synchronisation changed in Config Admin, by {@link PlannedConfiguration#describe()} names or PIDs. */
record SyncResult(List<String> created, List<String> updated, List<String> deleted, int unchanged) {

    SyncResult {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
    }

    boolean changedAnything() {
        return !created.isEmpty() || !updated.isEmpty() || !deleted.isEmpty();
    }
}
