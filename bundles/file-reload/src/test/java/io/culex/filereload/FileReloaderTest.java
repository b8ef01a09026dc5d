package io.culex.filereload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reloader with its real one-second poll: a change reloads once, on the reloader's own thread, after it
 * settled; {@link FileReloader#reloadNow()} reloads without a change; a failing reload does not stop the polling.
 */
class FileReloaderTest {

    @TempDir
    Path dir;

    private static void change(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(text.length())));
    }

    @Test
    void aChangedFileIsReloadedOnceOnTheReloadersThread() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "a");
        BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        try (FileReloader reloader = new FileReloader("test-reloader", file,
                () -> reloads.add(Thread.currentThread().getName()))) {
            long changed = System.nanoTime();
            change(file, "ab");
            assertEquals("test-reloader", reloads.poll(5, TimeUnit.SECONDS), "reloaded on its own thread");
            long millis = (System.nanoTime() - changed) / 1_000_000;
            assertTrue(millis >= 900, "only once two polls a second apart agreed: " + millis + " ms");
            assertNull(reloads.poll(2_200, TimeUnit.MILLISECONDS), "once: two more polls see nothing new");
        }
    }

    @Test
    void reloadNowReloadsAnUnchangedFile() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "a");
        BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        try (FileReloader reloader = new FileReloader("sighup", file, () -> reloads.add("reload"))) {
            reloader.reloadNow();
            assertNotNull(reloads.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aReloadThatThrowsDoesNotStopTheNextOne() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "a");
        BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        try (FileReloader reloader = new FileReloader("failing", file, () -> {
            reloads.add("attempt");
            throw new IllegalStateException("bad file");
        })) {
            reloader.reloadNow();
            assertNotNull(reloads.poll(5, TimeUnit.SECONDS));
            change(file, "abc");
            assertNotNull(reloads.poll(5, TimeUnit.SECONDS), "the polling thread survived the failure");
        }
    }

    @Test
    void afterCloseNothingIsReloaded() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "a");
        BlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        FileReloader reloader = new FileReloader("closed", file, () -> reloads.add("reload"));
        reloader.close();
        reloader.reloadNow();
        change(file, "abcd");
        assertNull(reloads.poll(2_200, TimeUnit.MILLISECONDS));
    }
}
