package io.culex.plugins.internal;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log why a jar in {@code plugins/} is ignored. FileInstall 3.7.4 installs jars that have a
 * {@code Bundle-SymbolicName} and silently skips the others (a plain library jar, a half-copied or corrupt file),
 * asking its {@link ArtifactInstaller}s whether one of them handles such a file. This one never handles anything;
 * it only reports, once per file version (name, size, time), so a file left there is not reported every poll.
 * Bundles that do not resolve are reported by FileInstall itself ({@code Error while starting bundle: ...} with
 * the resolver's missing requirement).
 */
@Component(service = ArtifactInstaller.class)
public final class NotABundleReporter implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(NotABundleReporter.class);

    private final Map<String, String> reported = new ConcurrentHashMap<>();

    @Override
    public boolean canHandle(File artifact) {
        if (!artifact.getName().endsWith(".jar") || !artifact.isFile()) {
            return false;
        }
        String problem = problemOf(artifact);
        String version = artifact.length() + "@" + artifact.lastModified();
        if (problem == null) {
            reported.remove(artifact.getPath());
        } else if (!version.equals(reported.put(artifact.getPath(), version))) {
            LOG.error("Error: plugin {} is ignored: {}.", artifact, problem);
        }
        return false;
    }

    /** @return why FileInstall will not install the file as a bundle, or null if it is one */
    static String problemOf(File jar) {
        try (JarFile file = new JarFile(jar)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return "it is a jar without a manifest, not an OSGi bundle";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "it is not an OSGi bundle (its manifest has no Bundle-SymbolicName); build it with "
                        + "bnd-maven-plugin (see docs/plugins.md)";
            }
            return null;
        } catch (IOException e) {
            // A half-written file looks like this too: copy to a temporary name and rename (see plugins/README.txt)
            return "it is not a readable jar (" + e.getMessage() + "); if it is still being copied, copy it under "
                    + "another name and rename it when complete";
        }
    }

    @Override
    public void install(File artifact) {
        // never called: canHandle always answers false
    }

    @Override
    public void update(File artifact) {
        // never called
    }

    @Override
    public void uninstall(File artifact) {
        reported.remove(artifact.getPath());
    }
}
