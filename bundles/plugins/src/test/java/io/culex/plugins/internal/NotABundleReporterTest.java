package io.culex.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a jar in plugins/ is not installed, and that the reporter never claims a file from FileInstall. */
class NotABundleReporterTest {

    @TempDir
    Path dir;

    private Path jar(String name, Manifest manifest) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file);
             JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("x/Some.class"));
            jar.write(new byte[256]);
            jar.closeEntry();
        }
        return file;
    }

    private static Manifest manifest(String symbolicName) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        return manifest;
    }

    @Test
    void aBundleHasNoProblem() throws IOException {
        assertNull(NotABundleReporter.problemOf(jar("bundle.jar", manifest("com.example.plugin")).toFile()));
    }

    @Test
    void aPlainLibraryJarIsNotABundle() throws IOException {
        String problem = NotABundleReporter.problemOf(jar("library.jar", manifest(null)).toFile());
        assertTrue(problem.contains("not an OSGi bundle") && problem.contains("Bundle-SymbolicName"), problem);
    }

    @Test
    void aJarWithoutManifestIsNamedSo() throws IOException {
        String problem = NotABundleReporter.problemOf(jar("bare.jar", null).toFile());
        assertTrue(problem.contains("without a manifest"), problem);
    }

    @Test
    void aHalfCopiedJarIsUnreadableWithAHintToCopyAndRename() throws IOException {
        Path whole = jar("whole.jar", manifest("com.example.plugin"));
        byte[] bytes = Files.readAllBytes(whole);
        Path half = Files.write(dir.resolve("half.jar"), Arrays.copyOf(bytes, bytes.length / 2));
        String problem = NotABundleReporter.problemOf(half.toFile());
        assertTrue(problem.contains("not a readable jar") && problem.contains("rename"), problem);
    }

    @Test
    void itNeverHandlesAFileSoFileInstallKeepsItsOwnDecision() throws IOException {
        NotABundleReporter reporter = new NotABundleReporter();
        assertFalse(reporter.canHandle(jar("bundle.jar", manifest("com.example.plugin")).toFile()));
        assertFalse(reporter.canHandle(jar("library.jar", manifest(null)).toFile()));
        assertFalse(reporter.canHandle(Files.writeString(dir.resolve("notes.cfg"), "a=b").toFile()));
    }
}
