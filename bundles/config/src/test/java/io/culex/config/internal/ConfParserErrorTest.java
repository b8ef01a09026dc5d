package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Files that must be rejected: Mosquitto's message, and the file and line that Mosquitto names. */
class ConfParserErrorTest {

    @TempDir
    Path dir;

    private final ConfParser parser = new ConfParser();

    static Stream<BadConfigs.BadConfig> badConfigs() {
        return BadConfigs.all().stream();
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void isRejectedWithMosquittosMessage(BadConfigs.BadConfig bad) {
        Path file = ConfFiles.write(dir.resolve("culex.conf"), bad.lines().toArray(String[]::new));
        assertEquals(expectedReport(bad, file), reportOf(parser.parse(file)));
    }

    static List<String> expectedReport(BadConfigs.BadConfig bad, Path file) {
        List<String> expected = new ArrayList<>();
        expected.add(bad.message().replace("%FILE%", file.toString()));
        if (bad.line() > 0) {
            expected.add("Error found at " + file + ":" + bad.line() + ".");
        }
        return expected;
    }

    private static List<String> reportOf(ParseOutcome outcome) {
        assertFalse(outcome.succeeded(), "the file was accepted");
        return outcome.error().orElseThrow().reportLines();
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("missing.conf");
        assertEquals(List.of("Error: Unable to open config file " + missing + "."), reportOf(parser.parse(missing)));
    }

    @Test
    void aDirectory() {
        assertEquals(List.of("Error: Config file " + dir + " is a directory."), reportOf(parser.parse(dir)));
    }

    @Test
    void anErrorInAnIncludedFileNamesThatFileAndLineThenTheIncludeLine() {
        Path included = ConfFiles.write(dir.resolve("conf.d/10-listeners.conf"), "listener 1883", "", "foo 1");
        Path main = ConfFiles.write(dir.resolve("culex.conf"), "# main", "include_dir " + included.getParent());
        assertEquals(List.of(
                "Error: Unknown configuration variable \"foo\".",
                "Error found at " + included + ":3.",
                "Error found at " + main + ":2."), reportOf(parser.parse(main)));
    }

    @Test
    void aDirectoryNamedLikeAConfFileInAnIncludeDir() throws Exception {
        Files.createDirectories(dir.resolve("conf.d/sub.conf"));
        Path main = ConfFiles.write(dir.resolve("culex.conf"), "include_dir " + dir.resolve("conf.d"));
        assertEquals(List.of(
                "Error: Config file " + dir.resolve("conf.d/sub.conf") + " is a directory.",
                "Error found at " + main + ":1."), reportOf(parser.parse(main)));
    }

    @Test
    void malformedUtf8InAValue() throws Exception {
        Path file = dir.resolve("culex.conf");
        byte[] bad = "# caf\u00e9 in a comment is fine\nlistener 1883\nmount_point caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, bad);
        assertEquals(List.of("Error: Malformed UTF-8 in configuration.", "Error found at " + file + ":3."),
                reportOf(parser.parse(file)));
    }

    @Test
    void theErrorIsReportedEvenAfterDiagnostics() {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), "port 1884", "foo"));
        assertEquals(1, outcome.diagnostics().size());
        assertEquals(List.of(dir.resolve("culex.conf")), outcome.sources().files());
    }
}
