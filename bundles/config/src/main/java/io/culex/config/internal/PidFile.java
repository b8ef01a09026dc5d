package io.culex.config.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Mosquitto's {@code pid_file}: the process id, written at start and removed at stop, for init scripts. */
final class PidFile {

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    static PidFile write(Path path) throws ConfigException {
        try {
            Files.writeString(path, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("Error: Unable to write pid file.");
        }
        return new PidFile(path);
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException | SecurityException e) {
            // nothing useful to do while stopping; a stale pid file is what a crash leaves too
        }
    }
}
