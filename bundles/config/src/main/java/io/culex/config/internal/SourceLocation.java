package io.culex.config.internal;

import java.nio.file.Path;

/** A line of a configuration file, printed as Mosquitto prints it in "Error found at" messages. */
record SourceLocation(Path file, int line) {

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
