package io.culex.plugins.internal.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subset of Karaf's features XML that Culex reads, and the errors that name the file. */
class FeaturesFileTest {

    /** The descriptor the distribution ships (with its Maven properties not yet filtered). */
    private static final Path SHIPPED = Path.of("../../features/culex-features.xml");

    @TempDir
    Path dir;

    @Test
    void readsFeaturesBundlesAndConfigurations() throws IOException {
        Path file = Files.writeString(dir.resolve("f.xml"), String.join("\n",
                "<features name='t' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'>",
                "  <feature name='base'><bundle>mvn:g/a/1</bundle></feature>",
                "  <feature name='extra' description='more'>",
                "    <details>ignored</details>",
                "    <feature>base</feature>",
                "    <bundle> mvn:g/b/1 </bundle>",
                "    <config name='io.example'>",
                "      interval = 5",
                "      name = a b",
                "    </config>",
                "  </feature>",
                "</features>"));
        Map<String, FeatureDescriptor> features = FeaturesFile.read(file);
        assertEquals(List.of("base", "extra"), List.copyOf(features.keySet()));
        FeatureDescriptor extra = features.get("extra");
        assertEquals(List.of("base"), extra.features());
        assertEquals(List.of("mvn:g/b/1"), extra.bundles());
        assertEquals(Map.of("io.example", Map.of("interval", "5", "name", "a b")), extra.configurations());
    }

    @Test
    void theShippedDescriptorReads() throws IOException {
        Map<String, FeatureDescriptor> features = FeaturesFile.read(SHIPPED);
        assertTrue(features.keySet().containsAll(List.of("core", "security", "dynsec", "persistence")),
                features.keySet().toString());
        assertTrue(features.get("security").features().contains("core"));
    }

    @Test
    void aFeatureWithoutANameIsAnErrorNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("nameless.xml"), "<features><feature><bundle>x</bundle></feature></features>");
        IOException e = assertThrows(IOException.class, () -> FeaturesFile.read(file));
        assertTrue(e.getMessage().contains("without a name") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aDoctypeIsRefusedSoNoExternalEntityIsRead() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t");
        Path file = Files.writeString(dir.resolve("xxe.xml"), "<?xml version='1.0'?>\n"
                + "<!DOCTYPE f [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>\n"
                + "<features><feature name='&x;'/></features>");
        IOException e = assertThrows(IOException.class, () -> FeaturesFile.read(file));
        assertTrue(e.getMessage().startsWith("Error: invalid features file " + file), e.getMessage());
    }

    @Test
    void malformedXmlIsAnErrorNamingTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.xml"), "<features><feature name='a'>");
        IOException e = assertThrows(IOException.class, () -> FeaturesFile.read(file));
        assertTrue(e.getMessage().startsWith("Error: invalid features file " + file), e.getMessage());
    }
}
