package io.culex.plugins.internal.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.admin.FeatureException;
import io.culex.api.admin.FeatureService;

/**
 * The {@link FeatureService}: features described in {@code <culex.home>/features/*.xml}, installed at boot as
 * the {@code features} option of culex.conf says ({@code io.culex.features} configuration, property
 * {@code features}) and at run time through the service.
 *
 * <p>All operations run one at a time on a thread of their own: framework operations must not run on a DS or
 * network thread, and callers of the service wait for theirs.
 */
@Component(service = FeatureService.class, configurationPid = FeatureServiceComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class FeatureServiceComponent implements FeatureService {

    /** The configuration the {@code features} option of culex.conf becomes. */
    public static final String PID = "io.culex.features";

    private static final Logger LOG = LoggerFactory.getLogger(FeatureServiceComponent.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "culex-features");
        t.setDaemon(true);
        return t;
    });
    private final FeatureInstaller installer;

    @Activate
    public FeatureServiceComponent(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
                                   Map<String, Object> configuration) {
        String homeProperty = context.getProperty("culex.home");
        Path home = Path.of(homeProperty == null ? "." : homeProperty).toAbsolutePath();
        Map<String, FeatureDescriptor> available;
        try {
            available = FeatureInstaller.readAll(home.resolve("features"));
        } catch (IOException e) {
            LOG.error(e.getMessage());
            available = Map.of();
        }
        installer = new FeatureInstaller(context, configurationAdmin, home, available);
        installBootFeatures(configuration);
    }

    @Modified
    void modified(Map<String, Object> configuration) {
        installBootFeatures(configuration);
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    /** Boot selection: install the features culex.conf names (features it no longer names stay installed). */
    private void installBootFeatures(Map<String, Object> configuration) {
        Object names = configuration.get("features");
        if (names == null) {
            return;
        }
        String[] list = names instanceof String[] ? (String[]) names : names.toString().split("\\s*,\\s*");
        worker.execute(() -> {
            for (String name : list) {
                try {
                    installer.install(name.trim());
                } catch (FeatureException | IllegalArgumentException e) {
                    LOG.error("Error: feature {} named in the configuration: {}", name, e.getMessage());
                }
            }
        });
    }

    @Override
    public List<String> availableFeatures() {
        return call(installer::available);
    }

    @Override
    public List<String> installedFeatures() {
        return call(installer::installed);
    }

    @Override
    public List<String> bundlesOf(String name) {
        return call(() -> {
            try {
                return installer.bundlesOf(name);
            } catch (FeatureException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    @Override
    public void install(String name) throws FeatureException {
        run(() -> installer.install(name));
    }

    @Override
    public void uninstall(String name) throws FeatureException {
        run(() -> installer.uninstall(name));
    }

    private interface Operation {
        void run() throws FeatureException;
    }

    private void run(Operation operation) throws FeatureException {
        Future<FeatureException> done = worker.submit(() -> {
            try {
                operation.run();
                return null;
            } catch (FeatureException e) {
                return e;
            }
        });
        FeatureException failure = await(done);
        if (failure != null) {
            throw failure;
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> query) {
        return await(worker.submit(query));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
