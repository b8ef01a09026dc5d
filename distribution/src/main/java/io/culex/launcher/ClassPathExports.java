package io.culex.launcher;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The packages that the system bundle exports from the launcher's class path (slf4j and logback), for
 * {@code org.osgi.framework.system.packages.extra}. They are taken from the {@code Export-Package} headers of the
 * jars themselves, so bundles wire to them exactly as they would to the slf4j and logback bundles (same packages,
 * same versions). {@code uses:} directives are dropped: the system bundle imports nothing they could constrain.
 */
final class ClassPathExports {
    private static final Pattern USES = Pattern.compile(";\\s*uses:=\"[^\"]*\"");

    private ClassPathExports() {
    }

    /** The Export-Package clauses of the jars that hold these classes, comma separated. */
    static String of(Class<?>... classes) throws IOException {
        List<String> clauses = new ArrayList<>();
        for (Class<?> type : classes) {
            Path jar = jarOf(type);
            try (JarFile file = new JarFile(jar.toFile())) {
                String exports = file.getManifest() == null ? null
                        : file.getManifest().getMainAttributes().getValue("Export-Package");
                if (exports == null) {
                    throw new IOException(jar + " has no Export-Package header: not the jar the launcher was built with");
                }
                clauses.add(USES.matcher(exports).replaceAll(""));
            }
        }
        return String.join(",", clauses);
    }

    private static Path jarOf(Class<?> type) throws IOException {
        try {
            return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate the jar of " + type.getName(), e);
        }
    }
}
