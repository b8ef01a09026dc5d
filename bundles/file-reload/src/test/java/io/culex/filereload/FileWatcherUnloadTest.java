package io.culex.filereload;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundles that embed this package are installed, updated and uninstalled at run time; each revision's class
 * loader must be collectable once the revision is gone. On Java 17 a {@code record}'s generated {@code equals}
 * keeps the last record class that used it reachable from a JDK static ({@code ObjectMethods.OBJECT_EQ}'s
 * {@code asTypeCache}, JDK-8078641, fixed in Java 18), so the watcher's state must not be a record: this test
 * loads the watcher in a class loader of its own, makes it compare states, and checks that the loader is collected.
 */
class FileWatcherUnloadTest {

    @TempDir
    Path dir;

    @Test
    void aWatcherThatComparedStatesLeavesItsClassLoaderCollectable() throws Exception {
        Path file = Files.writeString(dir.resolve("acl"), "topic a");
        ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
        WeakReference<ClassLoader> loader = useWatcherInItsOwnLoader(file, collected);
        for (int i = 0; i < 10 && loader.get() != null; i++) {
            System.gc();
            collected.remove(100); // enqueued once the collector cleared it
        }
        assertNull(loader.get(), "the class loader of a watcher that is no longer used is still reachable");
    }

    private static WeakReference<ClassLoader> useWatcherInItsOwnLoader(Path file, ReferenceQueue<ClassLoader> queue)
            throws Exception {
        URL classes = FileWatcher.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> watcherClass = isolated.loadClass(FileWatcher.class.getName());
            if (watcherClass == FileWatcher.class) {
                throw new IllegalStateException("not isolated");
            }
            Constructor<?> constructor = watcherClass.getDeclaredConstructor(Path.class);
            constructor.setAccessible(true);
            Object watcher = constructor.newInstance(file);
            Method settledChange = watcherClass.getDeclaredMethod("settledChange");
            settledChange.setAccessible(true);
            Files.writeString(file, "topic a\ntopic b");
            settledChange.invoke(watcher); // compares the states: the first check of a change
            settledChange.invoke(watcher);
            return new WeakReference<>(isolated, queue);
        }
    }
}
