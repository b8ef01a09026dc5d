package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.culex.passwordhash.Pbkdf2Hash;
import io.culex.passwordhash.Pbkdf2Sha512;

/** {@code admin_listener} and {@code admin_user}: what they become in Config Admin, and the lines refused. */
class AdminOptionsTest {

    /** {@code culex-passwd} of the password "secret" (12-byte salt, 101 iterations). */
    private static final String SECRET_HASH = "$7$101$AAECAwQFBgcICQoL$" + Base64.getEncoder().encodeToString(
            Pbkdf2Sha512.derive("secret".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
                10, 11}, 101));

    @TempDir
    Path dir;

    private final ConfParser parser = new ConfParser();

    private ParsedConfig parse(String... lines) {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), lines));
        outcome.error().ifPresent(e -> {
            throw new AssertionError("unexpected error: " + e.reportLines());
        });
        return outcome.config().orElseThrow();
    }

    private List<String> errorOf(String... lines) {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), lines));
        assertFalse(outcome.succeeded(), "the file was accepted");
        return outcome.error().orElseThrow().reportLines();
    }

    private String foundAt(int line) {
        return "Error found at " + dir.resolve("culex.conf") + ":" + line + ".";
    }

    @Test
    void adminListenerConfiguresFelixHttpOnLoopbackByDefault() {
        ParsedConfig config = parse("listener 1883", "admin_listener 8081");
        assertEquals(Map.of(AdminOptions.HTTP_PORT, 8081, AdminOptions.HTTP_HOST, "127.0.0.1",
                AdminOptions.HTTP_ENABLE, true, AdminOptions.HTTPS_ENABLE, false),
                config.owners().get(ConfigContract.HTTP_PID));
        assertEquals("127.0.0.1", config.owners().get(ConfigContract.WEBCONSOLE_PID).get(AdminOptions.BIND_ADDRESS));
        assertFalse(config.localOnly(), "the admin listener is no MQTT listener: the file's listener decides");
        assertTrue(parse("admin_listener 8081").localOnly());
    }

    @Test
    void adminListenerTakesABindAddress() {
        ParsedConfig config = parse("admin_listener 9000 0.0.0.0");
        assertEquals("0.0.0.0", config.owners().get(ConfigContract.HTTP_PID).get(AdminOptions.HTTP_HOST));
        assertEquals("0.0.0.0", config.owners().get(ConfigContract.WEBCONSOLE_PID).get(AdminOptions.BIND_ADDRESS));
    }

    @Test
    void withoutAdminListenerThereIsNoHttpConfigurationNorAdminFeature() {
        ParsedConfig config = parse("listener 1883");
        assertFalse(config.owners().containsKey(ConfigContract.HTTP_PID));
        assertEquals(List.of(), bootFeatures(ConfigurationPlanner.plan(config, List.of())));
    }

    @Test
    void adminListenerAddsTheAdminFeatureToThoseOfTheFile() {
        assertEquals(List.of("admin"), bootFeatures(ConfigurationPlanner.plan(parse("admin_listener 8081"),
                List.of())));
        assertEquals(List.of("bridge", "admin"), bootFeatures(ConfigurationPlanner.plan(
                parse("features bridge", "admin_listener 8081"), List.of())));
        assertEquals(List.of("admin"), bootFeatures(ConfigurationPlanner.plan(
                parse("features admin", "admin_listener 8081"), List.of())), "named once");
    }

    @Test
    void aHashedAdminPasswordIsKeptAsItIs() {
        Map<String, Object> console = parse("admin_user root " + SECRET_HASH).owners().get(ConfigContract.WEBCONSOLE_PID);
        assertEquals("root", console.get(AdminOptions.ADMIN_USER));
        assertEquals(SECRET_HASH, console.get(AdminOptions.ADMIN_PASSWORD_HASH));
        assertTrue(Pbkdf2Hash.parse((String) console.get(AdminOptions.ADMIN_PASSWORD_HASH))
                .matches("secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aClearAdminPasswordIsHashedBeforeConfigAdminSeesIt() {
        ParseOutcome outcome = parser.parse(ConfFiles.write(dir.resolve("culex.conf"), "admin_user root my secret"));
        Map<String, Object> console = outcome.config().orElseThrow().owners().get(ConfigContract.WEBCONSOLE_PID);
        String stored = (String) console.get(AdminOptions.ADMIN_PASSWORD_HASH);
        assertTrue(stored.startsWith("$7$101$"), stored);
        assertFalse(console.values().stream().anyMatch(v -> String.valueOf(v).contains("my secret")),
                "the clear password is nowhere in the configuration: " + console);
        assertTrue(Pbkdf2Hash.parse(stored).matches("my secret".getBytes(StandardCharsets.UTF_8)),
                "the password is the rest of the line");
        assertTrue(outcome.diagnostics().stream().anyMatch(d -> d.message().contains("clear text (" + dir.resolve(
                "culex.conf") + ":1)")), "a note names the line: " + outcome.diagnostics());
    }

    @Test
    void badAdminListenerLinesNameFileAndLine() {
        assertEquals(List.of("Error: Empty admin_listener value in configuration.", foundAt(2)),
                errorOf("listener 1883", "admin_listener"));
        assertEquals(List.of("Error: Invalid admin_listener value (http).", foundAt(1)),
                errorOf("admin_listener http"));
        assertEquals(List.of("Error: Invalid admin_listener port value (0).", foundAt(1)),
                errorOf("admin_listener 0"));
        assertEquals(List.of("Error: Invalid admin_listener port value (65536).", foundAt(1)),
                errorOf("admin_listener 65536"));
        assertEquals(List.of("Error: Too many arguments to admin_listener: use admin_listener <port> "
                + "[<bind address>].", foundAt(1)), errorOf("admin_listener 8081 127.0.0.1 extra"));
        assertEquals(List.of("Error: Duplicate admin_listener value in configuration.", foundAt(3)),
                errorOf("admin_listener 8081", "", "admin_listener 8082"));
    }

    @Test
    void badAdminUserLinesNameFileAndLine() {
        assertEquals(List.of("Error: Empty admin_user value in configuration.", foundAt(1)), errorOf("admin_user"));
        assertEquals(List.of("Error: admin_user needs a password: use admin_user <name> <password or $7$ hash>.",
                foundAt(1)), errorOf("admin_user root"));
        assertEquals(List.of("Error: Invalid admin_user password hash: invalid iteration count x.", foundAt(1)),
                errorOf("admin_user root $7$x$AAECAwQFBgcICQoL$AAAA"));
        assertEquals(List.of("Error: Invalid admin_user password hash: the hash must be 64 bytes, not 3.",
                foundAt(1)), errorOf("admin_user root $7$101$AAECAwQFBgcICQoL$AAAA"));
        assertEquals(List.of("Error: Duplicate admin_user value in configuration.", foundAt(2)),
                errorOf("admin_user a " + SECRET_HASH, "admin_user b " + SECRET_HASH));
    }

    @Test
    void anIncludedFileIsNamedInTheError() {
        Path included = dir.resolve("conf.d");
        ConfFiles.write(included.resolve("admin.conf"), "# admin", "admin_listener none");
        List<String> report = errorOf("include_dir " + included);
        assertEquals("Error: Invalid admin_listener value (none).", report.get(0));
        assertEquals("Error found at " + included.resolve("admin.conf") + ":2.", report.get(1));
    }

    private static List<String> bootFeatures(List<PlannedConfiguration> plan) {
        return plan.stream().filter(p -> ConfigContract.FEATURES_PID.equals(p.pid()))
                .map(p -> List.of((String[]) p.properties().get("features"))).findFirst().orElse(List.of());
    }

    @Test
    void noAdminOptionNoWebConsoleConfiguration() {
        assertNull(parse("listener 1883").owners().get(ConfigContract.WEBCONSOLE_PID));
    }
}
