package io.culex.filereload;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reload action on a private thread when one file changes (polled every second, applied once the change
 * has settled) and whenever {@link #reloadNow()} is called (SIGHUP). The action always runs on that one thread, so
 * reloads never overlap.
 */
public final class FileReloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileReloader.class);
    private static final long POLL_MILLIS = 1000;

    private final FileWatcher watcher;
    private final Runnable reload;
    private final ScheduledExecutorService thread;

    /**
     * Starts polling. The caller loads the file itself first; from then on changes trigger {@code reload}.
     *
     * @param threadName the polling thread's name, for thread dumps
     * @param file the file to watch
     * @param reload what to run on a settled change or on {@link #reloadNow()}
     */
    public FileReloader(String threadName, Path file, Runnable reload) {
        this.watcher = new FileWatcher(file);
        this.reload = reload;
        this.thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Reloads soon, whether or not the file changed (SIGHUP). */
    /** Reload now (SIGHUP), on the reloader's thread. */
    public void reloadNow() {
        if (!thread.isShutdown()) {
            thread.execute(this::reload);
        }
    }

    private void poll() {
        if (watcher.settledChange()) {
            reload();
        }
    }

    private void reload() {
        // Stamp first: a change made while reading is then seen by the next poll.
        watcher.markLoaded();
        try {
            reload.run();
        } catch (RuntimeException e) {
            // never let the polling thread die: the next change gets another chance
            LOG.error("Error: reloading {} failed: {}", watcher.file(), e.toString(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
