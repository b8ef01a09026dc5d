package io.culex.plugins.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A {@code plugin} line as the config bundle hands it over: target, source and the options without their prefix. */
class PluginLineTest {

    @Test
    void optionsLoseTheirPrefixAndOtherPropertiesAreNotOptions() {
        PluginLine line = PluginLine.from(Map.of(
                "plugin", " /opt/plugins/x.jar ",
                "culex.source", "culex.conf:7",
                "plugin_opt_ranges", "10.0.0.0/8",
                "plugin_opt_", "no name: not an option",
                "service.pid", "io.culex.plugins~1"));
        assertEquals("/opt/plugins/x.jar", line.target(), "stripped as Mosquitto strips values");
        assertEquals("culex.conf:7", line.source());
        assertEquals(Map.of("ranges", "10.0.0.0/8"), line.options());
        assertEquals("plugin /opt/plugins/x.jar (culex.conf:7)", line.toString());
    }

    @Test
    void aConfigurationWithoutPluginIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PluginLine.from(Map.of("plugin_opt_a", "b")));
        assertThrows(IllegalArgumentException.class, () -> PluginLine.from(Map.of("plugin", "  ")));
        assertThrows(IllegalArgumentException.class, () -> PluginLine.from(Map.of("plugin", 42)));
    }

    @Test
    void aMissingSourceIsAQuestionMark() {
        assertEquals("?", PluginLine.from(Map.of("plugin", "io.culex.sample.authbyip")).source());
    }

    @ParameterizedTest(name = "{0}: jar {1}, native {2}")
    @CsvSource({
            "/opt/plugins/x.jar,                     true,  false",
            "plugins/X.JAR,                          true,  false",
            "io.culex.sample.authbyip,               false, false",
            "/usr/lib/go-auth.so,                    true,  true",
            "mosquitto_dynamic_security.so.1,        false, true",
            "C:\\plugins\\auth.dll,                  true,  true",
            "libauth.dylib,                          false, true",
    })
    void recognisesJarsBundleNamesAndNativeLibraries(String target, boolean jar, boolean nativeLibrary) {
        PluginLine line = PluginLine.from(Map.of("plugin", target));
        assertEquals(jar, line.namesJar(), "names a jar path");
        assertEquals(nativeLibrary, line.namesNativeLibrary(), "names a native library");
    }

    @Test
    void aRelativeJarIsTakenFromTheWorkingDirectoryAndInstalledFromItsFileUri() {
        PluginLine line = PluginLine.from(Map.of("plugin", "plugins/../extra/x.jar"));
        Path expected = Path.of("").toAbsolutePath().resolve("extra/x.jar");
        assertEquals(expected, line.jarPath());
        assertEquals(expected.toUri().toString(), line.location());
        assertTrue(line.location().startsWith("file:"));
        assertFalse(line.location().contains(".."));
    }
}
