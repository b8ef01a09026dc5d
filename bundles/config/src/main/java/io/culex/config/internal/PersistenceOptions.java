package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.PERSISTENCE_PID;

/**
 * Mosquitto's persistence options, for the io.culex.persistence bundle (PID {@code io.culex.persistence}); with
 * {@code persistence true} the broker configuration gets {@code persistence=true} too, so that its listeners open
 * only once the store has restored. {@code persistence_durability} is Culex's own: {@code acknowledged} (default:
 * every acknowledged QoS 1/2 message is on disk) or {@code autosave} (Mosquitto's snapshots only).
 */
final class PersistenceOptions {

    private PersistenceOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("persistence", (state, line) -> persistenceFlag(state, line));
        registry.add("retained_persistence", (state, line) -> persistenceFlag(state, line)); // Mosquitto's alias
        registry.add("autosave_interval", (state, line) -> {
            int seconds = Values.integer(line, "autosave_interval");
            state.owner(PERSISTENCE_PID).put("autosave_interval", Math.max(0, seconds));
        });
        registry.add("autosave_on_changes", (state, line) -> {
            state.owner(PERSISTENCE_PID).put("autosave_on_changes", Values.bool(line, "autosave_on_changes"));
        });
        registry.add("persistence_file", (state, line) -> {
            state.owner(PERSISTENCE_PID).putString("persistence_file", line);
        });
        registry.add("persistence_location", (state, line) -> {
            state.owner(PERSISTENCE_PID).putString("persistence_location", line);
        });
        registry.add("persistence_durability", (state, line) -> {
            String value = Values.string(line, "persistence_durability",
                    state.owner(PERSISTENCE_PID).get("persistence_durability"));
            if (!value.equals("acknowledged") && !value.equals("autosave")) {
                throw new ConfigException("Error: Invalid persistence_durability value (" + value
                        + "): use acknowledged or autosave.");
            }
            state.owner(PERSISTENCE_PID).put("persistence_durability", value);
        });
    }

    private static void persistenceFlag(ParseState state, OptionLine line) throws ConfigException {
        boolean on = Values.bool(line, line.name());
        state.owner(PERSISTENCE_PID).put("persistence", on);
        state.broker().put("persistence", on);
    }
}
