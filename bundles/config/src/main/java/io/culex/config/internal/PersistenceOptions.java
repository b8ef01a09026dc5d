package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.PERSISTENCE_PID;

/** Persistence options, kept in {@code io.culex.persistence} for the persistence bundle that does not exist yet. */
final class PersistenceOptions {

    private PersistenceOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("persistence", (state, line) -> persistenceFlag(state, line));
        registry.add("retained_persistence", (state, line) -> persistenceFlag(state, line)); // Mosquitto's alias
        registry.add("autosave_interval", (state, line) -> {
            int seconds = Values.integer(line, "autosave_interval");
            state.owner(PERSISTENCE_PID).put("autosave_interval", Math.max(0, seconds));
            state.notYetSupported("autosave_interval", line);
        });
        registry.add("autosave_on_changes", (state, line) -> {
            state.owner(PERSISTENCE_PID).put("autosave_on_changes", Values.bool(line, "autosave_on_changes"));
            state.notYetSupported("autosave_on_changes", line);
        });
        registry.add("persistence_file", (state, line) -> {
            state.owner(PERSISTENCE_PID).putString("persistence_file", line);
            state.notYetSupported("persistence_file", line);
        });
        registry.add("persistence_location", (state, line) -> {
            state.owner(PERSISTENCE_PID).putString("persistence_location", line);
            state.notYetSupported("persistence_location", line);
        });
    }

    private static void persistenceFlag(ParseState state, OptionLine line) throws ConfigException {
        state.owner(PERSISTENCE_PID).put("persistence", Values.bool(line, line.name()));
        state.notYetSupported(line.name(), line);
    }
}
