package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    private static LaunchOptions from(Map<String, String> properties) throws ConfigException {
        return LaunchOptions.from(properties::get);
    }

    @Test
    void noPropertiesMeansDefaultConfig() throws ConfigException {
        LaunchOptions options = from(Map.of());
        assertEquals(Optional.empty(), options.configFile());
        assertEquals(List.of(), options.ports());
        assertFalse(options.verbose());
        assertFalse(options.interactive());
        assertEquals(List.of(), options.features());
    }

    @Test
    void interactiveAsksForTheShellFeature() throws ConfigException {
        LaunchOptions options = from(Map.of("culex.interactive", "true"));
        assertTrue(options.interactive());
        assertEquals(List.of("shell"), options.features());
    }

    @Test
    void fileVerboseAndRepeatedPorts() throws ConfigException {
        LaunchOptions options = from(Map.of("culex.config.file", "/etc/culex/culex.conf",
                "culex.cmd.ports", "1884, 1885", "culex.verbose", "true"));
        assertEquals(Optional.of(Path.of("/etc/culex/culex.conf")), options.configFile());
        assertEquals(List.of(1884, 1885), options.ports());
        assertTrue(options.verbose());
    }

    @Test
    void invalidPortsAreMosquittosErrors() {
        assertEquals("Error: Invalid port specified (0).", assertThrows(ConfigException.class,
                () -> from(Map.of("culex.cmd.ports", "0"))).getMessage());
        assertEquals("Error: Invalid port specified (x).", assertThrows(ConfigException.class,
                () -> from(Map.of("culex.cmd.ports", "1884,x"))).getMessage());
        assertEquals("Error: Only 10 ports can be specified on the command line.", assertThrows(
                ConfigException.class, () -> from(Map.of("culex.cmd.ports", "1,2,3,4,5,6,7,8,9,10,11"))).getMessage());
    }
}
