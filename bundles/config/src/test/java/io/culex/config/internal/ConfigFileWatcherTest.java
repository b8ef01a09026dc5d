package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileWatcherTest {

    @TempDir
    Path dir;

    /** Moves a file's modification time, since a test writes faster than a file system's clock may tick. */
    private static void touch(Path file, long secondsLater) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    @Test
    void noChangeNoReload() {
        Path file = ConfFiles.write(dir.resolve("culex.conf"), "listener 1883");
        ConfigFileWatcher watcher = new ConfigFileWatcher(new WatchedSources(List.of(file), List.of()));
        assertFalse(watcher.settledChange());
        assertFalse(watcher.settledChange());
    }

    @Test
    void aChangeIsReportedOnceItHasSettled() throws IOException {
        Path file = ConfFiles.write(dir.resolve("culex.conf"), "listener 1883");
        ConfigFileWatcher watcher = new ConfigFileWatcher(new WatchedSources(List.of(file), List.of()));

        ConfFiles.write(file, "listener 1883", "max_connections 5");
        touch(file, 10);
        assertFalse(watcher.settledChange(), "first seen: maybe still being written");
        assertTrue(watcher.settledChange(), "unchanged since: read it");

        watcher.loaded(new WatchedSources(List.of(file), List.of()));
        assertFalse(watcher.settledChange());
    }

    @Test
    void aFileStillBeingWrittenIsNotReadYet() throws IOException {
        Path file = ConfFiles.write(dir.resolve("culex.conf"), "listener 1883");
        ConfigFileWatcher watcher = new ConfigFileWatcher(new WatchedSources(List.of(file), List.of()));
        ConfFiles.write(file, "listener 18");
        touch(file, 10);
        assertFalse(watcher.settledChange());
        ConfFiles.write(file, "listener 1883", "listener 8883");
        touch(file, 20);
        assertFalse(watcher.settledChange());
        assertTrue(watcher.settledChange());
    }

    @Test
    void aDeletedOrCreatedFileIsAChange() throws IOException {
        Path file = dir.resolve("culex.conf");
        ConfigFileWatcher watcher = new ConfigFileWatcher(new WatchedSources(List.of(file), List.of()));
        ConfFiles.write(file, "listener 1883");
        watcher.settledChange();
        assertTrue(watcher.settledChange());
        watcher.loaded(new WatchedSources(List.of(file), List.of()));
        Files.delete(file);
        watcher.settledChange();
        assertTrue(watcher.settledChange());
    }

    @Test
    void aNewConfFileInAnIncludeDirIsAChangeButOtherFilesAreNot() throws IOException {
        Path includeDir = Files.createDirectories(dir.resolve("conf.d"));
        Path file = ConfFiles.write(dir.resolve("culex.conf"), "include_dir " + includeDir);
        ConfigFileWatcher watcher = new ConfigFileWatcher(new WatchedSources(List.of(file), List.of(includeDir)));

        ConfFiles.write(includeDir.resolve(".listeners.conf.swp"), "editor swap file");
        assertFalse(watcher.settledChange());
        assertFalse(watcher.settledChange());

        ConfFiles.write(includeDir.resolve("listeners.conf"), "listener 1883");
        watcher.settledChange();
        assertTrue(watcher.settledChange());
    }
}
