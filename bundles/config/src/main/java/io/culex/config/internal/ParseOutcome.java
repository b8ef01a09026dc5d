package io.culex.config.internal;

import java.util.List;
import java.util.Optional;

/** The result of reading a configuration: the configuration or the error, and in both cases what was noticed and read. */
record ParseOutcome(
        Optional<ParsedConfig> config,
        Optional<ConfigException> error,
        List<Diagnostic> diagnostics,
        WatchedSources sources) {

    ParseOutcome {
        diagnostics = List.copyOf(diagnostics);
    }

    static ParseOutcome success(ParsedConfig config, List<Diagnostic> diagnostics, WatchedSources sources) {
        return new ParseOutcome(Optional.of(config), Optional.empty(), diagnostics, sources);
    }

    static ParseOutcome failure(ConfigException error, List<Diagnostic> diagnostics, WatchedSources sources) {
        return new ParseOutcome(Optional.empty(), Optional.of(error), diagnostics, sources);
    }

    boolean succeeded() {
        return config.isPresent();
    }
}
