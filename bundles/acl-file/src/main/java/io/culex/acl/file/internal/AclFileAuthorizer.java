package io.culex.acl.file.internal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
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

import io.culex.api.Access;
import io.culex.api.Authorizer;
import io.culex.api.ClientInfo;
import io.culex.api.Decision;
import io.culex.filereload.FileReloader;

/**
 * Mosquitto's {@code acl_file} as an {@link Authorizer}; the rules are those of {@link AclEvaluator}. Answers
 * only ALLOW or DENY, never DEFER, as Mosquitto's ACL file does. The rules live in memory; a check is a few
 * string comparisons on the network thread.
 *
 * <p>The file is reloaded when it changes and on SIGHUP (a {@code Runnable} service with
 * {@code culex.reload=sighup}). A file that cannot be read or has a bad line keeps the previous rules, and the log
 * names file and line; if there were none yet, every check is denied until a good file is there.
 */
@Component(service = Authorizer.class, configurationPid = AclFileAuthorizer.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        property = AclFileAuthorizer.PROVIDER_PROPERTY + "=" + AclFileAuthorizer.PROVIDER)
@Designate(ocd = AclFileConfiguration.class)
public final class AclFileAuthorizer implements Authorizer {

    /** The configuration PID (also the bundle symbolic name). */
    public static final String PID = "io.culex.acl.file";
    /** Service property by which the core knows that a provider the configuration requires is present. */
    public static final String PROVIDER_PROPERTY = io.culex.api.ServiceProperties.PROVIDER;
    /** This provider's {@link #PROVIDER_PROPERTY} value: Mosquitto's option name. */
    public static final String PROVIDER = "acl_file";
    /** Service property of the {@code Runnable} the launcher runs on SIGHUP. */
    public static final String RELOAD_PROPERTY = io.culex.api.ServiceProperties.RELOAD;
    static final String FILE_PROPERTY = "acl_file";

    private static final Logger LOG = LoggerFactory.getLogger(AclFileAuthorizer.class);

    private final AtomicLong reloadsFinished = new AtomicLong();
    private volatile AclEvaluator rules = new AclEvaluator(AclFile.empty());
    private volatile Path file;
    private FileReloader reloader;
    private ServiceRegistration<Runnable> sighup;

    @Activate
    void activate(BundleContext context, AclFileConfiguration config) {
        start(context, resolve(config));
    }

    /** Read and watch the file, and answer SIGHUP; also used per listener by {@link ListenerAclFiles}. */
    void start(BundleContext context, Path aclFile) {
        watch(aclFile);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(RELOAD_PROPERTY, "sighup");
        properties.put("culex.reload.file", FILE_PROPERTY);
        sighup = context.registerService(Runnable.class, this::reloadOnSignal, properties);
    }

    @Modified
    void modified(AclFileConfiguration config) {
        if (!resolve(config).equals(file)) {
            reloader.close();
            watch(resolve(config));
        }
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    /** Stop watching the file. */
    void stop() {
        if (sighup != null) {
            sighup.unregister();
        }
        reloader.close();
    }

    @Override
    public Decision authorize(ClientInfo client, Access access, String topic, int qos, boolean retain) {
        return rules.decide(client.clientId(), client.username(), access, topic);
    }

    /** @return how many reads of the file have finished, successful or not (lets tests await a reload) */
    long reloadsFinished() {
        return reloadsFinished.get();
    }

    private void watch(Path aclFile) {
        file = aclFile;
        reloader = new FileReloader("culex-acl-file-watch", file, this::reload);
        reload();
    }

    private void reloadOnSignal() {
        LOG.info("Reloading ACL file {}.", file);
        reloader.reloadNow();
    }

    private void reload() {
        Path current = file;
        try {
            AclFile loaded = AclFile.read(current);
            rules = new AclEvaluator(loaded);
            LOG.info("ACL file {} loaded: {} anonymous rules, {} users ({} rules), {} patterns.", current,
                    loaded.anonymous().size(), loaded.users().size(),
                    loaded.users().values().stream().mapToInt(java.util.List::size).sum(), loaded.patterns().size());
        } catch (AclFileException e) {
            LOG.error("{} Keeping the previous ACL rules.", e.getMessage());
        } catch (NoSuchFileException e) {
            LOG.error("Error opening acl file \"{}\" (no such file). Keeping the previous ACL rules.", current);
        } catch (IOException | RuntimeException e) {
            LOG.error("Error opening acl file \"{}\" ({}). Keeping the previous ACL rules.", current, e.toString());
        } finally {
            reloadsFinished.incrementAndGet();
        }
    }

    private static Path resolve(AclFileConfiguration config) {
        return resolve(config.acl__file());
    }

    static Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("the " + PID + " configuration has no " + FILE_PROPERTY);
        }
        return Path.of(path).toAbsolutePath().normalize();
    }
}
