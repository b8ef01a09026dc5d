package io.culex.auth.file.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * culex-passwd against mosquitto_passwd: the same command lines give the same exit code and error output, and the
 * files each writes are read by the other.
 */
class PasswdToolTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''",
            "-h",
            "-c",
            "-H",
            "-I",
            "-I x -b FILE u p",
            "-H md5 -b FILE u p",
            "-U",
            "-D FILE",
            "-c -D FILE u",
            "-c -U FILE",
            "-D -U FILE",
            "-b -D FILE u",
            "-b FILE u",
            "-b FILE u p extra",
            "-c -b FILE u",
            "-b FILE a:b p",
            "-z FILE u",
            "-b MISSING u p",
            "-D MISSING u",
            "-D FILE nosuch",
            "-D FILE alice",
            "-U MISSING",
    })
    void sameExitCodeAndMessagesAsMosquittoPasswd(String line) throws Exception {
        Path mine = dir.resolve("mine");
        Path theirs = dir.resolve("theirs");
        for (Path p : List.of(mine, theirs)) {
            Files.writeString(p, "alice:" + PasswordHashTest.ALICE_PBKDF2 + "\n");
        }
        Outcome expected = runMosquittoPasswd(args(line, theirs));
        Outcome actual = runCulexPasswd(args(line, mine), "");
        assertEquals(expected.status, actual.status, "exit code of " + line);
        assertEquals(expected.err.replace(theirs.toString(), "FILE"), actual.err.replace(mine.toString(), "FILE"),
                "stderr of " + line);
        assertEquals(expected.out, actual.out, "stdout of " + line);
        assertEquals(Files.readString(theirs).lines().count(), Files.readString(mine).lines().count());
    }

    @Test
    void interactivePasswordsFromStdinLikeMosquittoPasswd() throws Exception {
        Path file = dir.resolve("pw");
        Outcome ok = runCulexPasswd(new String[] {"-c", file.toString(), "u1"}, "abc\nabc\n");
        assertEquals(0, ok.status);
        assertEquals("Password: \nReenter password: \n", ok.out);
        assertEquals(true, matches("u1", "abc", file));

        Outcome mismatch = runCulexPasswd(new String[] {file.toString(), "u2"}, "abc\nabd\n");
        assertEquals(2, mismatch.status);
        assertEquals("Error: Passwords do not match.\n", mismatch.err);

        Outcome empty = runCulexPasswd(new String[] {file.toString(), "u3"}, "");
        assertEquals(1, empty.status);
        assertEquals("Error: Empty password.\n", empty.err);
    }

    @Test
    void filesWrittenByEachToolAreReadByTheOther() throws Exception {
        Path file = dir.resolve("pw");
        assertEquals(0, runCulexPasswd(new String[] {"-c", "-b", file.toString(), "a", "pa"}, "").status);
        assertEquals(0, runCulexPasswd(new String[] {"-H", "sha512", "-b", file.toString(), "b", "pb"}, "").status);
        assertEquals(0, runCulexPasswd(new String[] {"-I", "7", "-b", file.toString(), "c", "pc"}, "").status);
        // mosquitto_passwd edits the file culex-passwd wrote: it must parse every line of it
        assertEquals(0, runMosquittoPasswd(new String[] {"-b", file.toString(), "d", "pd"}).status);
        assertEquals(0, runMosquittoPasswd(new String[] {"-D", file.toString(), "a"}).status);
        assertEquals(0, runCulexPasswd(new String[] {"-b", file.toString(), "a", "pa2"}, "").status);
        PasswordFile read = PasswordFile.read(file);
        assertEquals(List.of(), read.problems());
        assertEquals(true, read.users().get("a").matches("pa2".getBytes(UTF_8)));
        assertEquals(true, read.users().get("b").matches("pb".getBytes(UTF_8)));
        assertEquals(PasswordHash.Algorithm.SHA512, read.users().get("b").algorithm());
        assertEquals(7, read.users().get("c").iterations());
        assertEquals(true, read.users().get("d").matches("pd".getBytes(UTF_8)));
    }

    @Test
    void updateHashesPlainTextButNotExistingHashes() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "# comment\nplain:text\nalice:" + PasswordHashTest.ALICE_PBKDF2 + "\n");
        assertEquals(0, runCulexPasswd(new String[] {"-U", file.toString()}, "").status);
        PasswordFile read = PasswordFile.read(file);
        assertEquals(true, read.users().get("plain").matches("text".getBytes(UTF_8)));
        assertEquals(true, read.users().get("alice").matches("secret".getBytes(UTF_8)));
        assertEquals(true, Files.readString(file).startsWith("# comment\n"));
    }

    @Test
    void aCorruptFileIsReportedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("pw");
        String text = "alice:" + PasswordHashTest.ALICE_PBKDF2 + "\nbroken line\nbob:x\n";
        Files.writeString(file, text);
        Outcome outcome = runCulexPasswd(new String[] {"-b", file.toString(), "carol", "c"}, "");
        assertEquals(1, outcome.status);
        assertEquals("Error: Corrupt password file at line 2.\n", outcome.err);
        assertEquals(text, Files.readString(file));
    }

    private static boolean matches(String user, String password, Path file) throws IOException {
        return PasswordFile.read(file).users().get(user).matches(password.getBytes(UTF_8));
    }

    private String[] args(String line, Path file) {
        if (line.isEmpty()) {
            return new String[0];
        }
        return line.replace("MISSING", dir.resolve("missing").toString()).replace("FILE", file.toString())
                .split(" ");
    }

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome runCulexPasswd(String[] args, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, UTF_8);
        java.io.BufferedReader input = new java.io.BufferedReader(new java.io.StringReader(stdin));
        io.culex.auth.file.internal.passwd.PasswdToolAccess tool =
                new io.culex.auth.file.internal.passwd.PasswdToolAccess(outStream, new PrintStream(err, true, UTF_8),
                        input);
        int status = tool.run(args);
        return new Outcome(status, out.toString(UTF_8), err.toString(UTF_8));
    }

    private static Outcome runMosquittoPasswd(String[] args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("mosquitto_passwd");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
        return new Outcome(p.waitFor(), out, err);
    }
}
