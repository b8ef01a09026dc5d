package io.culex.filereload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * Notices that one file changed, by modification time and size (polling works on network and container file
 * systems, where a WatchService may not). A change is reported once it has settled: two successive checks agree,
 * so that a file is not read while an editor is still writing it. Not thread safe: one poller calls it.
 */
public final class FileWatcher {

    /**
     * A file's state. Not a {@code record}: on Java 17 a record's generated {@code equals} leaves the record class
     * reachable from a JDK cache (JDK-8078641, fixed in Java 18), which would keep the class loader of an
     * uninstalled or updated bundle that embeds this package alive.
     */
    private static final class Stamp {
        private final boolean exists;
        private final long size;
        private final FileTime modified;

        Stamp(boolean exists, long size, FileTime modified) {
            this.exists = exists;
            this.size = size;
            this.modified = modified;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp other && exists == other.exists && size == other.size
                    && Objects.equals(modified, other.modified);
        }

        @Override
        public int hashCode() {
            return Objects.hash(exists, size, modified);
        }
    }

    private final Path file;
    private Stamp loaded;
    private Stamp pending;

    FileWatcher(Path file) {
        this.file = file;
        this.loaded = stamp(file);
    }

    /** Records the state the file was just read in. */
    void markLoaded() {
        loaded = stamp(file);
        pending = null;
    }

    /** @return whether the file differs from what was loaded, the same way as at the previous check */
    boolean settledChange() {
        Stamp current = stamp(file);
        if (current.equals(loaded)) {
            pending = null;
            return false;
        }
        if (!current.equals(pending)) {
            pending = current;
            return false;
        }
        return true;
    }

    Path file() {
        return file;
    }

    private static Stamp stamp(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(true, attributes.size(), attributes.lastModifiedTime());
        } catch (IOException | SecurityException e) {
            return new Stamp(false, -1, null);
        }
    }

    @Override
    public String toString() {
        return "FileWatcher[" + Objects.toString(file) + "]";
    }
}
