package io.culex.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The bundles of {@code system/<N>/}: every jar there is installed at start level N and, unless it is a fragment,
 * marked persistently started (the framework starts it when it reaches level N). SPI Fly and the OSGi Log Service
 * are in {@code system/1}, before the bundles that use them; slf4j and logback are not bundles but on the
 * launcher's class path, exported by the system bundle, so logging works before any bundle starts.
 * Also collects start failures (FrameworkEvent.ERROR) so that {@link #report} can say why a bundle is not active.
 */
final class SystemBundles implements FrameworkListener {
    private final Path systemDir;
    private final List<Bundle> bundles = new ArrayList<>();
    private final Map<Long, Throwable> failures = new ConcurrentHashMap<>();

    SystemBundles(Path systemDir) {
        this.systemDir = systemDir;
    }

    /** The start levels found in system/: directory name → jars, in name order. */
    Map<Integer, List<Path>> levels() throws IOException {
        Map<Integer, List<Path>> levels = new TreeMap<>();
        if (!Files.isDirectory(systemDir)) {
            return levels;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(systemDir)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!Files.isDirectory(dir) || !name.matches("[1-9][0-9]{0,2}")) {
                    Console.info("Warning: ignoring " + dir + " (system/ holds directories named by start level)");
                    continue;
                }
                List<Path> jars = new ArrayList<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
                    files.forEach(jars::add);
                }
                jars.sort(null);
                levels.put(Integer.parseInt(name), jars);
            }
        }
        return levels;
    }

    /** Installs everything (an initialised framework); returns the highest start level used (at least 1). */
    int install(BundleContext context) throws IOException {
        int highest = 1;
        bundles.clear();
        for (Map.Entry<Integer, List<Path>> level : levels().entrySet()) {
            for (Path jar : level.getValue()) {
                try {
                    Bundle b = context.installBundle(jar.toUri().toString());
                    b.adapt(BundleStartLevel.class).setStartLevel(level.getKey());
                    if (!isFragment(b)) {
                        b.start(); // only marks it started: the framework is not active yet
                    }
                    bundles.add(b);
                    Console.debug("Installed " + name(b) + " at start level " + level.getKey());
                } catch (BundleException | RuntimeException e) {
                    Console.error("Unable to install " + systemDir.relativize(jar), e);
                }
            }
            highest = Math.max(highest, level.getKey());
        }
        return highest;
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null && event.getThrowable() != null) {
            failures.putIfAbsent(event.getBundle().getBundleId(), event.getThrowable());
        }
    }

    /** Logs every system bundle that is not active (or, for a fragment, not attached), with the reason. */
    List<Bundle> report() {
        List<Bundle> failed = new ArrayList<>();
        for (Bundle b : bundles) {
            boolean ok = isFragment(b) ? b.getState() == Bundle.RESOLVED : b.getState() == Bundle.ACTIVE;
            if (ok || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            failed.add(b);
            Throwable why = failures.get(b.getBundleId());
            String reason = why != null ? Console.describe(why)
                    : isFragment(b) ? "fragment not attached to its host (" + b.getHeaders().get(Constants.FRAGMENT_HOST) + ")"
                    : "state " + state(b.getState());
            Console.error("bundle " + name(b) + " failed to start: " + reason);
        }
        if (!failed.isEmpty()) {
            Console.error(failed.size() + " of " + bundles.size() + " bundles in " + systemDir
                    + " did not start (see above); the broker runs without them");
        } else {
            Console.debug("All " + bundles.size() + " bundles in " + systemDir + " are active (fragments resolved)");
        }
        return failed;
    }

    /** True if system/ holds a bundle with this symbolic name. */
    boolean contains(String symbolicName) {
        return bundles.stream().anyMatch(b -> symbolicName.equals(b.getSymbolicName()));
    }

    static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    static String name(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]";
    }

    private static String state(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "INSTALLED (not resolved)";
            case Bundle.RESOLVED: return "RESOLVED (not started)";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return Integer.toString(state);
        }
    }
}
