package io.culex.plugins.internal.features;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.admin.FeatureException;

/**
 * Installs and uninstalls features (not thread-safe: {@link FeatureServiceComponent} serialises the calls).
 *
 * <p>Bundle references are {@code mvn:<groupId>/<artifactId>/<version>}, looked up as
 * {@code <artifactId>-<version>.jar} in the distribution's {@code system/*} and {@code repository/} directories,
 * or {@code file:} URLs. A bundle already installed when a feature needs it (same symbolic name) is shared, never
 * owned: only the bundles a feature installed itself are uninstalled with it, and only when no other installed
 * feature names them.
 */
final class FeatureInstaller {

    /** Marks the configurations a feature created, so that uninstalling it deletes exactly those. */
    static final String FEATURE_PROPERTY = "culex.feature";

    private static final Logger LOG = LoggerFactory.getLogger(FeatureInstaller.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final Path home;
    private final Map<String, FeatureDescriptor> available;
    /** Installed features, in installation order, with the bundles each installed itself. */
    private final Map<String, List<Bundle>> installed = new LinkedHashMap<>();

    FeatureInstaller(BundleContext context, ConfigurationAdmin configurationAdmin, Path home,
                     Map<String, FeatureDescriptor> available) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.home = home;
        this.available = available;
    }

    /** @return the features of every {@code *.xml} file in {@code <home>/features} */
    static Map<String, FeatureDescriptor> readAll(Path featuresDirectory) throws IOException {
        Map<String, FeatureDescriptor> all = new HashMap<>();
        if (!Files.isDirectory(featuresDirectory)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(featuresDirectory, "*.xml")) {
            for (Path file : files) {
                all.putAll(FeaturesFile.read(file));
            }
        }
        return all;
    }

    List<String> available() {
        return List.copyOf(new TreeSet<>(available.keySet()));
    }

    List<String> installed() {
        return List.copyOf(new TreeSet<>(installed.keySet()));
    }

    FeatureDescriptor describe(String name) {
        FeatureDescriptor feature = available.get(name);
        if (feature == null) {
            throw new IllegalArgumentException("no feature named '" + name + "'; available: " + available());
        }
        return feature;
    }

    List<String> bundlesOf(String name) throws FeatureException {
        List<String> names = new ArrayList<>();
        for (String reference : describe(name).bundles()) {
            names.add(symbolicName(locate(reference)));
        }
        return names;
    }

    void install(String name) throws FeatureException {
        FeatureDescriptor feature = describe(name);
        if (installed.containsKey(name)) {
            return;
        }
        for (String needed : feature.features()) {
            install(needed);
        }
        List<Bundle> own = new ArrayList<>();
        try {
            List<Bundle> toStart = new ArrayList<>();
            for (String reference : feature.bundles()) {
                Path jar = locate(reference);
                Bundle present = installedBundle(symbolicName(jar));
                if (present != null) {
                    toStart.add(present);
                    continue;
                }
                Bundle bundle = context.installBundle(jar.toUri().toString());
                own.add(bundle);
                toStart.add(bundle);
            }
            // configurations first, so that the feature's components activate with them
            createConfigurations(feature);
            for (Bundle bundle : toStart) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
        } catch (BundleException | RuntimeException e) {
            for (Bundle bundle : own) {
                uninstallQuietly(bundle);
            }
            deleteConfigurations(name);
            throw new FeatureException("Error: feature " + name + " could not be installed: " + e.getMessage(), e);
        }
        installed.put(name, own);
        LOG.info("Feature {} installed ({} bundles installed, {} already there).", name, own.size(),
                feature.bundles().size() - own.size());
    }

    void uninstall(String name) throws FeatureException {
        describe(name);
        List<Bundle> own = installed.remove(name);
        if (own == null) {
            return;
        }
        Map<String, String> neededBy = new HashMap<>();
        for (String other : installed.keySet()) {
            for (String symbolicName : bundlesOf(other)) {
                neededBy.putIfAbsent(symbolicName, other);
            }
        }
        List<String> failures = new ArrayList<>();
        for (Bundle bundle : own) {
            String other = neededBy.get(bundle.getSymbolicName());
            if (other != null) {
                installed.get(other).add(bundle); // still needed: the other feature owns it from now on
                continue;
            }
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                failures.add(bundle.getSymbolicName() + ": " + e.getMessage());
            }
        }
        deleteConfigurations(name);
        LOG.info("Feature {} uninstalled.", name);
        if (!failures.isEmpty()) {
            throw new FeatureException("Error: feature " + name + " could not uninstall " + failures, null);
        }
    }

    private void createConfigurations(FeatureDescriptor feature) {
        for (Map.Entry<String, Map<String, String>> config : feature.configurations().entrySet()) {
            try {
                Configuration configuration = configurationAdmin.getConfiguration(config.getKey(), "?");
                if (configuration.getProperties() != null) {
                    continue; // an administrator's configuration is never overwritten
                }
                Dictionary<String, Object> properties = new Hashtable<>(config.getValue());
                properties.put(FEATURE_PROPERTY, feature.name());
                configuration.update(properties);
            } catch (IOException e) {
                LOG.error("Error: feature {} could not create configuration {}: {}", feature.name(), config.getKey(),
                        e.toString());
            }
        }
    }

    private void deleteConfigurations(String feature) {
        try {
            Configuration[] created = configurationAdmin.listConfigurations("(" + FEATURE_PROPERTY + "=" + feature
                    + ")");
            for (Configuration configuration : created == null ? new Configuration[0] : created) {
                configuration.delete();
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            LOG.error("Error: feature {} could not delete its configurations: {}", feature, e.toString());
        }
    }

    /** @return the jar a bundle reference names */
    Path locate(String reference) throws FeatureException {
        if (reference.startsWith("file:")) {
            Path jar = Path.of(java.net.URI.create(reference));
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new FeatureException("Error: bundle " + reference + " not found", null);
        }
        if (reference.startsWith("mvn:")) {
            String[] parts = reference.substring(4).split("/");
            if (parts.length >= 3) {
                String fileName = parts[1] + "-" + parts[2] + ".jar";
                for (Path directory : searchPath()) {
                    Path jar = directory.resolve(fileName);
                    if (Files.isRegularFile(jar)) {
                        return jar;
                    }
                }
                throw new FeatureException("Error: bundle " + reference + " not found: no " + fileName + " in "
                        + searchPath(), null);
            }
        }
        throw new FeatureException("Error: unsupported bundle reference " + reference
                + " (mvn:group/artifact/version or file:)", null);
    }

    private List<Path> searchPath() {
        List<Path> directories = new ArrayList<>();
        Path system = home.resolve("system");
        if (Files.isDirectory(system)) {
            try (DirectoryStream<Path> levels = Files.newDirectoryStream(system, Files::isDirectory)) {
                levels.forEach(directories::add);
            } catch (IOException e) {
                LOG.warn("Warning: cannot list {}: {}", system, e.toString());
            }
        }
        Collections.sort(directories);
        directories.add(home.resolve("repository"));
        return directories;
    }

    private static String symbolicName(Path jar) throws FeatureException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String name = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null) {
                throw new FeatureException("Error: " + jar + " is not an OSGi bundle", null);
            }
            return name.split(";")[0].trim();
        } catch (IOException e) {
            throw new FeatureException("Error: cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    private Bundle installedBundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.UNINSTALLED) {
                return bundle;
            }
        }
        return null;
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Warning: could not uninstall {} again: {}", bundle.getSymbolicName(), e.toString());
        }
    }
}
