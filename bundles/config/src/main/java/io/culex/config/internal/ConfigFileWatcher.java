package io.culex.config.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Notices that the configuration file, an included file, or the set of files in an include directory changed, by
 * comparing modification times and sizes. Polling is used rather than a WatchService because it also works on
 * network and container file systems and needs no per-directory registration. A change is reported only once it
 * has settled (two successive checks agree), so that a file is not read while an editor is still writing it.
 */
final class ConfigFileWatcher {

    /** The state of one watched path; a missing file has {@code exists} false. */
    private record Stamp(Path path, boolean exists, long size, FileTime modified) {
    }

    private WatchedSources sources;
    private List<Stamp> loaded;
    private List<Stamp> pending;

    ConfigFileWatcher(WatchedSources sources) {
        loaded(sources);
    }

    /** Records the state the configuration was just read from. */
    void loaded(WatchedSources newSources) {
        sources = newSources;
        loaded = stamps(newSources);
        pending = null;
    }

    /** Whether the sources differ from what was loaded, the same way as at the previous check. */
    boolean settledChange() {
        List<Stamp> current = stamps(sources);
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

    private static List<Stamp> stamps(WatchedSources sources) {
        List<Stamp> stamps = new ArrayList<>();
        for (Path file : sources.files()) {
            stamps.add(stamp(file));
        }
        // Only the .conf files count, not the directory itself: editors create and delete swap files next to them.
        for (Path directory : sources.directories()) {
            List<Path> confFiles = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.conf")) {
                entries.forEach(confFiles::add);
            } catch (IOException | SecurityException e) {
                // a missing or unreadable directory has no files, which is a change if it had some
            }
            confFiles.sort(null);
            confFiles.forEach(file -> stamps.add(stamp(file)));
        }
        return stamps;
    }

    private static Stamp stamp(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(path, true, attributes.size(), attributes.lastModifiedTime());
        } catch (IOException | SecurityException e) {
            return new Stamp(path, false, -1, null);
        }
    }
}
