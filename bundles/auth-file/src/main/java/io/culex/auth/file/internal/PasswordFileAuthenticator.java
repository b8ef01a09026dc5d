package io.culex.auth.file.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.AuthenticationRequest;
import io.culex.api.Authenticator;
import io.culex.api.Decision;
import io.culex.filereload.FileReloader;

/**
 * Mosquitto's {@code password_file} as an {@link Authenticator}, with Mosquitto 2.0's answers:
 * <ul>
 * <li>no user name: {@link Decision#DEFER}, so that {@code allow_anonymous} decides;</li>
 * <li>a user of the file with the right password: {@link Decision#ALLOW};</li>
 * <li>a wrong or missing password, or a user name the file does not have: {@link Decision#DENY}.</li>
 * </ul>
 * Hashing (PBKDF2 is slow on purpose) runs on a small pool of its own, never on the network thread; the answer
 * completes from there. An unknown user is hashed against a decoy entry, so the time of the answer does not tell
 * whether a user name exists. Nothing is cached: every CONNECT is verified against the file's current hash.
 *
 * <p>The file is reloaded when it changes and on SIGHUP (a {@code Runnable} service with {@code culex.reload=sighup},
 * which the launcher runs). A reload that cannot read the file keeps the previous users. Connected clients are not
 * affected; the next CONNECT uses the new file.
 */
@Component(service = Authenticator.class, configurationPid = PasswordFileAuthenticator.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = PasswordFileAuthenticator.PROVIDER_PROPERTY + "=" + PasswordFileAuthenticator.PROVIDER)
@Designate(ocd = PasswordFileConfiguration.class)
public final class PasswordFileAuthenticator implements Authenticator {

    /** The configuration PID (also the bundle symbolic name). */
    public static final String PID = "io.culex.auth.file";
    /** Service property by which the core knows that a provider the configuration requires is present. */
    public static final String PROVIDER_PROPERTY = io.culex.api.ServiceProperties.PROVIDER;
    /** This provider's {@link #PROVIDER_PROPERTY} value: Mosquitto's option name. */
    public static final String PROVIDER = "password_file";
    /** Service property of the {@code Runnable} the launcher runs on SIGHUP. */
    public static final String RELOAD_PROPERTY = io.culex.api.ServiceProperties.RELOAD;
    static final String FILE_PROPERTY = "password_file";

    private static final Logger LOG = LoggerFactory.getLogger(PasswordFileAuthenticator.class);
    /** Hashes waiting beyond this are refused (DENY) rather than queued without bound under a CONNECT flood. */
    private static final int MAX_WAITING_VERIFICATIONS = 1024;

    private final ThreadPoolExecutor hashing = newHashingPool();
    /** Verifies unknown users, so that they take as long as known ones. */
    private final PasswordHash decoy = PasswordHash.create(new SecureRandom().generateSeed(16),
            PasswordHash.Algorithm.SHA512_PBKDF2, PasswordHash.DEFAULT_ITERATIONS, new SecureRandom());

    private final AtomicLong reloadsFinished = new AtomicLong();
    private volatile PasswordFile passwords = PasswordFile.empty();
    private volatile Path file;
    private FileReloader reloader;
    private ServiceRegistration<Runnable> sighup;

    @Activate
    void activate(BundleContext context, PasswordFileConfiguration config) {
        start(context, resolve(config));
    }

    /** Read and watch the file, and answer SIGHUP; also used per listener by {@link ListenerPasswordFiles}. */
    void start(BundleContext context, Path passwordFile) {
        watch(passwordFile);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(RELOAD_PROPERTY, "sighup");
        properties.put("culex.reload.file", FILE_PROPERTY);
        sighup = context.registerService(Runnable.class, this::reloadOnSignal, properties);
    }

    @Modified
    void modified(PasswordFileConfiguration config) {
        Path newFile = resolve(config);
        if (!newFile.equals(file)) {
            reloader.close();
            watch(newFile);
        }
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    /** Stop watching; checks still waiting are answered DENY. */
    void stop() {
        if (sighup != null) {
            sighup.unregister();
        }
        reloader.close();
        // Clients still waiting get an answer now rather than at the broker's timeout.
        for (Runnable waiting : hashing.shutdownNow()) {
            ((Verification) waiting).answer.complete(Decision.DENY);
        }
    }

    @Override
    public CompletionStage<Decision> authenticate(AuthenticationRequest request) {
        String username = request.username();
        if (username == null) {
            return CompletableFuture.completedFuture(Decision.DEFER);
        }
        byte[] password = request.password();
        if (password == null) {
            // Mosquitto refuses a user name without a password when a password file is used.
            return CompletableFuture.completedFuture(Decision.DENY);
        }
        PasswordHash hash = passwords.users().get(username);
        Verification verification = new Verification(hash, password);
        try {
            hashing.execute(verification);
        } catch (RejectedExecutionException e) {
            Arrays.fill(password, (byte) 0);
            LOG.warn("Warning: too many password checks waiting; refusing user {}", username);
            verification.answer.complete(Decision.DENY);
        }
        return verification.answer;
    }

    /** @return how many reads of the file have finished, successful or not (lets tests await a reload) */
    long reloadsFinished() {
        return reloadsFinished.get();
    }

    private void watch(Path newFile) {
        file = newFile;
        reloader = new FileReloader("culex-password-file-watch", newFile, this::reload);
        reload();
    }

    private void reloadOnSignal() {
        LOG.info("Reloading password file {}.", file);
        reloader.reloadNow();
    }

    /** Reads the file; runs on activation and on the reloader's thread. */
    private void reload() {
        try {
            readFile();
        } finally {
            reloadsFinished.incrementAndGet();
        }
    }

    private void readFile() {
        Path current = file;
        PasswordFile loaded;
        try {
            loaded = PasswordFile.read(current);
        } catch (NoSuchFileException e) {
            reportUnreadable(current, "no such file");
            return;
        } catch (IOException | RuntimeException e) {
            reportUnreadable(current, e.toString());
            return;
        }
        for (String problem : loaded.problems()) {
            if (problem.startsWith("Warning")) {
                LOG.warn(problem);
            } else {
                LOG.error(problem);
            }
        }
        passwords = loaded;
        LOG.info("Password file {} loaded: {} users.", current, loaded.users().size());
    }

    private void reportUnreadable(Path current, String reason) {
        LOG.error("Error: Unable to open pwfile \"{}\" ({}); keeping the previous {} users.", current, reason,
                passwords.users().size());
    }

    private static Path resolve(PasswordFileConfiguration config) {
        return resolve(config.password__file());
    }

    static Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the " + PID + " configuration has no " + FILE_PROPERTY);
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    private static ThreadPoolExecutor newHashingPool() {
        int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_VERIFICATIONS), task -> {
                    Thread t = new Thread(task, "culex-password-hash-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One password check, run on the hashing pool. */
    private final class Verification implements Runnable {
        final CompletableFuture<Decision> answer = new CompletableFuture<>();
        private final PasswordHash hash;
        private final byte[] password;

        Verification(PasswordHash hash, byte[] password) {
            this.hash = hash;
            this.password = password;
        }

        @Override
        public void run() {
            try {
                boolean matches = (hash != null ? hash : decoy).matches(password);
                answer.complete(hash != null && matches ? Decision.ALLOW : Decision.DENY);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            } finally {
                Arrays.fill(password, (byte) 0);
            }
        }
    }
}
