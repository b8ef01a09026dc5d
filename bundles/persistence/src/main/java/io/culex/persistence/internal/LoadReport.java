package io.culex.persistence.internal;

import java.util.ArrayList;
import java.util.List;

/** What opening the store found: record counts and any damage it recovered from, for the log. */
final class LoadReport {

    long snapshotRecords;
    long logRecords;
    final List<String> damage = new ArrayList<>();

    void damage(String what) {
        damage.add(what);
    }
}
