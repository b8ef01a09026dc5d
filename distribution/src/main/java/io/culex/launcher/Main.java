package io.culex.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * {@code bin/culex}: embeds Apache Felix, installs {@code system/<N>/*.jar} at start level N, and waits for the
 * config bundle to report. Its class path holds only this jar and the Felix framework jar (STACK.md pitfall 7).
 */
public final class Main {
    static final int EXIT_OK = 0;
    /** Anything else that stops the start (no framework, a bundle that cannot be installed, no config status). */
    static final int EXIT_ERROR = 1;
    /** The configuration is invalid: mosquitto's MOSQ_ERR_INVAL, the same code as for a bad command line. */
    static final int EXIT_CONFIG_FAILED = 3;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final CommandLine cmd;
    private final Path home;
    private final String version;
    private volatile Framework framework;
    private volatile ConfigStatus config;
    private boolean terminating; // guarded by this

    private Main(CommandLine cmd, Path home, String version) {
        this.cmd = cmd;
        this.home = home;
        this.version = version;
    }

    public static void main(String[] args) {
        String version = Main.class.getPackage().getImplementationVersion();
        version = version != null ? version : "(development)";
        int code;
        try {
            CommandLine cmd = CommandLine.parse(args, Paths.get("").toAbsolutePath(), version);
            code = new Main(cmd, home(), version).run();
        } catch (CommandLine.Exit e) {
            code = e.code;
        } catch (Throwable t) {
            Console.error("culex could not start", t);
            t.printStackTrace();
            code = EXIT_ERROR;
        }
        System.exit(code);
    }

    /** {@code -Dculex.home}, set by bin/culex; else the parent of the directory holding this jar (lib/). */
    private static Path home() throws URISyntaxException {
        String prop = System.getProperty("culex.home");
        if (prop != null && !prop.isEmpty()) {
            return Paths.get(prop).toAbsolutePath().normalize();
        }
        Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent().toAbsolutePath().normalize();
    }

    private int run() throws Exception {
        Console.setVerbose(cmd.verbose);
        // java.util.logging (SPI Fly logs there before the bridge in org.apache.felix.logback is up): same format
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$ts: %5$s%6$s%n");
        }
        Console.info("culex version " + version + " starting");
        Console.debug("Home " + home + ", Java " + System.getProperty("java.version"));
        SystemBundles system = new SystemBundles(home.resolve("system"));
        Map<Integer, ?> levels = system.levels();
        if (levels.isEmpty()) {
            Console.error("no bundles in " + home.resolve("system") + ": this is not a Culex distribution");
            return EXIT_ERROR;
        }
        int beginning = Math.max(2, levels.keySet().stream().max(Integer::compare).orElse(2));
        Path storage = FrameworkStorage.claim(home.resolve("data").resolve("felix-cache"));
        Console.debug("Bundle cache " + storage);
        Framework fw = newFramework(frameworkProperties(beginning, storage));
        framework = fw;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop("signal"), "culex-shutdown"));
        Signals.handle("TERM", () -> System.exit(EXIT_OK));
        Signals.handle("INT", () -> System.exit(EXIT_OK));
        Signals.handle("HUP", () -> {
            ConfigStatus c = config;
            if (c != null) {
                c.reload();
            }
        });
        while (true) {
            fw.init();
            fw.getBundleContext().addFrameworkListener(system);
            new OsgiLog(fw.getBundleContext()).open(); // closed with the framework
            system.install(fw.getBundleContext());
            boolean needConfig = system.contains(ConfigStatus.BUNDLE);
            config = needConfig ? new ConfigStatus(fw.getBundleContext()) : null;
            StartFailures failures = new StartFailures(fw.getBundleContext(), () -> stop("start failure"));
            long t0 = System.nanoTime();
            FelixLog.starting = true;
            fw.start(); // returns when the beginning start level is reached
            system.report();
            FelixLog.starting = false;
            Console.debug("Framework started in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            int code = awaitConfig(fw);
            if (failures.failure() != null) {
                fw.waitForStop(STOP_TIMEOUT_MS);
                return EXIT_ERROR;
            }
            if (code != EXIT_OK) {
                stop(null);
                return code;
            }
            daemonReady();
            Console.info("culex version " + version + " running");
            FrameworkEvent stopped = fw.waitForStop(0);
            if (failures.failure() != null) {
                return EXIT_ERROR; // printed when reported
            }
            if (stopped.getType() != FrameworkEvent.STOPPED_UPDATE
                    && stopped.getType() != FrameworkEvent.STOPPED_SYSTEM_REFRESHED) {
                // stopped by the shutdown hook, or through the system bundle (web console, shell)
                synchronized (this) {
                    if (!terminating) {
                        terminating = true;
                        Console.info("culex version " + version + " terminating (the framework was stopped)");
                    }
                }
                return stopped.getType() == FrameworkEvent.ERROR ? EXIT_ERROR : EXIT_OK;
            }
            Console.info("culex version " + version + " restarting (system bundle updated or refreshed)");
        }
    }

    private Map<String, Object> frameworkProperties(int beginningStartLevel, Path storage) throws IOException {
        Map<String, Object> p = new HashMap<>();
        // slf4j and logback are on the class path (lib/): the system bundle exports them to the bundles
        p.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                ClassPathExports.of(org.slf4j.LoggerFactory.class, ch.qos.logback.classic.LoggerContext.class,
                        ch.qos.logback.core.Context.class));
        p.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(beginningStartLevel));
        p.put("felix.startlevel.bundle", Integer.toString(beginningStartLevel)); // plugins, installed later
        p.put("felix.log.level", cmd.verbose ? "2" : "1");
        p.put("felix.fileinstall.dir", home.resolve("plugins").toString());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        // Only finished jars and configurations: copy as x.jar.tmp (or anything else) and rename. FileInstall
        // also waits until a file's size and time are unchanged over one poll (it has no other option for this).
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        p.put("felix.fileinstall.log.level", cmd.verbose ? "4" : "3"); // logback filters (DefaultLogging)
        // STACK.md pitfall 8: Gogo's shell stops the framework when its input ends, unless told not to. Without -i
        // it reads no input at all; with -i it reads the terminal, and the end of the input ends only the shell.
        p.put("gosh.args", cmd.interactive ? "--noshutdown" : "--nointeractive");
        if (cmd.interactive) {
            p.put("culex.interactive", "true"); // the config bundle adds the shell feature to the boot features
        }
        // The admin feature (admin_listener): Jetty opens no port until culex.conf configures one (without this it
        // would listen on 8080 at once), and the Web Console serves nothing until io.culex.webconsole registers
        // its security provider, which it does only when the listener's address and credentials are safe.
        p.put("org.apache.felix.http.require.config", "true");
        p.put("felix.webconsole.security.providers", "culex");
        p.put("culex.home", home.toString());
        p.put("culex.version", version);
        if (cmd.configFile != null) {
            p.put("culex.config.file", cmd.configFile.toString());
        }
        if (!cmd.ports.isEmpty()) {
            p.put("culex.cmd.ports", cmd.ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (cmd.verbose) {
            p.put("culex.verbose", "true");
        }
        // -Dfelix.*, -Dorg.osgi.*, -Dgosh.* in CULEX_OPTS override the defaults above (extra system packages add)
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("felix.") || k.startsWith("org.osgi.") || k.startsWith("gosh."))
                .forEach(k -> p.merge(k, System.getProperty(k), (ours, theirs) ->
                        k.equals(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA) ? ours + "," + theirs : theirs));
        try {
            p.put("felix.log.logger", new FelixLog());
        } catch (LinkageError notFelix) {
            // another framework: its own log
        }
        return p;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Framework newFramework(Map<String, Object> properties) {
        Iterator<FrameworkFactory> it = ServiceLoader.load(FrameworkFactory.class).iterator();
        if (!it.hasNext()) {
            throw new IllegalStateException("no OSGi framework (org.apache.felix.framework jar) in lib/");
        }
        return it.next().newFramework((Map) properties); // Felix takes objects too (felix.log.logger)
    }

    /** EXIT_OK when the config bundle reported ready (or is not installed). */
    private int awaitConfig(Framework fw) throws InterruptedException {
        ConfigStatus c = config;
        if (c == null) {
            Console.info("Warning: no " + ConfigStatus.BUNDLE + " bundle in system/: running without configuration"
                    + (cmd.configFile != null ? " (" + cmd.configFile + " is not read)" : ""));
            return EXIT_OK;
        }
        Bundle bundle = null;
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (ConfigStatus.BUNDLE.equals(b.getSymbolicName())) {
                bundle = b;
            }
        }
        if (bundle == null || bundle.getState() != Bundle.ACTIVE) {
            Console.error("the configuration bundle " + ConfigStatus.BUNDLE + " is not active: cannot start");
            return EXIT_ERROR;
        }
        long timeout = Long.getLong("culex.startup.timeout", 30);
        String status = c.await(timeout);
        if (status == null) {
            Console.error(ConfigStatus.BUNDLE + " did not report the configuration's status within " + timeout
                    + " s (-Dculex.startup.timeout)");
            return EXIT_ERROR;
        }
        return ConfigStatus.READY.equals(status) ? EXIT_OK : EXIT_CONFIG_FAILED;
    }

    /** bin/culex -d: tell the waiting script that the start went well, then stop writing to its capture file. */
    private static void daemonReady() throws IOException {
        String readyFile = System.getProperty("culex.launcher.readyFile");
        if (readyFile == null) {
            return;
        }
        PrintStream devNull = new PrintStream(new FileOutputStream("/dev/null"), true);
        System.setOut(devNull);
        System.setErr(devNull);
        Files.writeString(Paths.get(readyFile), Long.toString(ProcessHandle.current().pid()));
    }

    /** Stops the framework once (shutdown hook, or a failed start); waits up to 10 s. */
    private void stop(String why) {
        Framework fw = framework;
        synchronized (this) {
            if (terminating || fw == null || (fw.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                return;
            }
            terminating = true;
        }
        if (why != null) {
            Console.info("culex version " + version + " terminating");
        }
        try {
            ConfigStatus c = config;
            if (c != null) {
                c.close();
            }
            fw.stop();
            if (fw.waitForStop(STOP_TIMEOUT_MS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                Console.error("the framework did not stop within " + STOP_TIMEOUT_MS / 1000 + " s");
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            Console.error("stopping the framework failed", e);
        }
    }
}
