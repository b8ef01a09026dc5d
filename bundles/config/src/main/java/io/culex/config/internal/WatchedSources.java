package io.culex.config.internal;

import java.nio.file.Path;
import java.util.List;

/** The files a configuration was read from and the include directories listed, which a change to should reload. */
record WatchedSources(List<Path> files, List<Path> directories) {

    WatchedSources {
        files = List.copyOf(files);
        directories = List.copyOf(directories);
    }

    static WatchedSources none() {
        return new WatchedSources(List.of(), List.of());
    }
}
