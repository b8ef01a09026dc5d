package io.culex.filereload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A change is reported once two checks agree on it, and once only; the checks are the poller's, called here. */
class FileWatcherTest {

    @TempDir
    Path dir;

    /** Another modification time, so that a rewrite within the file system's time resolution still differs. */
    private static void rewrite(Path file, String text, int secondsLater) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    @Test
    void anUnchangedFileIsNoChange() throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        FileWatcher watcher = new FileWatcher(file);
        assertFalse(watcher.settledChange());
        assertFalse(watcher.settledChange());
    }

    @Test
    void aChangeIsReportedAtTheSecondCheckThatSeesIt() throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        FileWatcher watcher = new FileWatcher(file);
        rewrite(file, "topic a\ntopic b", 10);
        assertFalse(watcher.settledChange(), "not yet: an editor may still be writing");
        assertTrue(watcher.settledChange(), "settled");
        watcher.markLoaded();
        assertFalse(watcher.settledChange(), "reported once, then loaded");
    }

    @Test
    void aFileStillGrowingIsNotReportedUntilItStops() throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        FileWatcher watcher = new FileWatcher(file);
        for (int i = 1; i <= 3; i++) {
            rewrite(file, "topic a\n".repeat(i + 1), i * 10);
            assertFalse(watcher.settledChange(), "changed again since the previous check (" + i + ")");
        }
        assertTrue(watcher.settledChange());
    }

    @Test
    void aFileThatGoesBackToWhatWasLoadedIsNoChange() throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        FileTime loaded = Files.getLastModifiedTime(file);
        FileWatcher watcher = new FileWatcher(file);
        rewrite(file, "topic b", 10);
        assertFalse(watcher.settledChange());
        Files.writeString(file, "topic a");
        Files.setLastModifiedTime(file, loaded);
        assertFalse(watcher.settledChange());
        assertFalse(watcher.settledChange(), "the pending change was dropped");
    }

    @Test
    void deletionAndRecreationAreChanges() throws IOException {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        FileWatcher watcher = new FileWatcher(file);
        Files.delete(file);
        assertFalse(watcher.settledChange());
        assertTrue(watcher.settledChange(), "a deleted file is a change: the reload reports it");
        watcher.markLoaded();
        rewrite(file, "topic a", 10);
        assertFalse(watcher.settledChange());
        assertTrue(watcher.settledChange(), "and so is its return");
    }
}
