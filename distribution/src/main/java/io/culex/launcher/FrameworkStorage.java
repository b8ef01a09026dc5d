package io.culex.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Felix bundle cache of this process: {@code data/felix-cache/instance-<n>/}, the first one no other running
 * broker holds. Two brokers started from one installation (different configurations and ports, as Mosquitto users
 * run them) would otherwise share one cache, and the second's start would wipe the first's bundles under it.
 *
 * <p>A process holds its instance by an OS file lock on {@code instance-<n>.lock} for as long as it runs; the lock
 * goes with the process however it ends (even SIGKILL), so a stale instance is simply taken again and, since the
 * cache is cleaned at every start, wiped.
 */
final class FrameworkStorage {

    private static final int MAX_INSTANCES = 64;

    /** Held, never closed: closing the channel would release the lock. */
    private static FileChannel held;

    private FrameworkStorage() {
    }

    /** @return this process's cache directory under {@code base} (created by Felix), claimed until the JVM exits */
    static synchronized Path claim(Path base) throws IOException {
        if (held != null) {
            throw new IllegalStateException("the framework storage is already claimed");
        }
        Files.createDirectories(base);
        for (int n = 0; n < MAX_INSTANCES; n++) {
            FileChannel channel = FileChannel.open(base.resolve("instance-" + n + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                held = channel;
                return base.resolve("instance-" + n);
            }
            channel.close();
        }
        throw new IOException(MAX_INSTANCES + " brokers already run from this installation (every "
                + base.resolve("instance-<n>.lock") + " is held)");
    }
}
