package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real mosquitto (when it is installed, as on the project's build machine) on the bad files that Culex
 * claims to reject as Mosquitto does, and checks that both print the same error lines and that Mosquitto exits
 * with 3, the code the launcher must use for a bad configuration.
 */
class MosquittoCompatibilityTest {

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path dir;

    static Stream<BadConfigs.BadConfig> sameAsMosquitto() {
        return BadConfigs.all().stream().filter(BadConfigs.BadConfig::asMosquitto);
    }

    @ParameterizedTest
    @MethodSource("sameAsMosquitto")
    void mosquittoPrintsTheSameErrorAndExitsWith3(BadConfigs.BadConfig bad) throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed");
        Path file = ConfFiles.write(dir.resolve("culex.conf"), bad.lines().toArray(String[]::new));

        Process mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .start();
        boolean exited = mosquitto.waitFor(10, TimeUnit.SECONDS);
        if (!exited) {
            mosquitto.destroyForcibly();
        }
        assertTrue(exited, "mosquitto accepted the file and kept running");
        List<String> errors = errorLines(mosquitto);

        assertEquals(3, mosquitto.exitValue());
        assertEquals(ConfParserErrorTest.expectedReport(bad, file), errors);
        assertEquals(errors, new ConfParser().parse(file).error().orElseThrow().reportLines());
    }

    /** Mosquitto's "Error..." lines without their "<unix time>: " prefix. */
    private static List<String> errorLines(Process process) throws IOException {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return output.lines()
                .map(line -> line.replaceFirst("^\\d+: ", ""))
                .filter(line -> line.startsWith("Error"))
                .toList();
    }
}
