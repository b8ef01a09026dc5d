package io.culex.auth.file.internal.passwd;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

import io.culex.auth.file.internal.PasswordHash;

/**
 * {@code culex-passwd}: manages Mosquitto password files with {@code mosquitto_passwd}'s command line, messages
 * and exit codes (Mosquitto 2.0.11). Uses only JDK classes, so it runs from the bundle jar on a plain class path.
 *
 * <pre>
 * culex-passwd [-H sha512 | -H sha512-pbkdf2] [-I iterations] [-c | -D] passwordfile username
 * culex-passwd [-H sha512 | -H sha512-pbkdf2] [-I iterations] [-c] -b passwordfile username password
 * culex-passwd -U passwordfile
 * </pre>
 */
public final class PasswdTool {

    static final String USAGE = """
            mosquitto_passwd is a tool for managing password files for mosquitto.

            Usage: mosquitto_passwd [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username
                   mosquitto_passwd [-H sha512 | -H sha512-pbkdf2] [-c] -b passwordfile username password
                   mosquitto_passwd -U passwordfile
             -b : run in batch mode to allow passing passwords on the command line.
             -c : create a new password file. This will overwrite existing files.
             -D : delete the username rather than adding/updating its password.
             -H : specify the hashing algorithm. Defaults to sha512-pbkdf2, which is recommended.
                  Mosquitto 1.6 and earlier defaulted to sha512.
             -U : update a plain text password file to use hashed passwords.

            See https://mosquitto.org/ for more information.

            """;

    private final PrintStream out;
    private final PrintStream err;
    private final PasswordSource passwords;

    PasswdTool(PrintStream out, PrintStream err, PasswordSource passwords) {
        this.out = out;
        this.err = err;
        this.passwords = passwords;
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args mosquitto_passwd's arguments
     */
    public static void main(String[] args) {
        PasswdTool tool = new PasswdTool(System.out, System.err, PasswordSource.fromTerminalOrStdin(System.out));
        int status = tool.run(args);
        System.out.flush();
        System.exit(status);
    }

    /** @return the exit status */
    int run(String[] args) {
        PasswdCommand command;
        try {
            command = PasswdCommand.parse(args);
        } catch (PasswdCommand.UsageException e) {
            if (e.getMessage() == null) {
                out.print(USAGE);
            } else {
                err.println(e.getMessage());
            }
            return 1;
        }
        if (command.username() != null && command.username().contains(":")) {
            err.println("Error: Username must not contain the ':' character.");
            return 1;
        }
        if (command.username() != null && command.username().length() > 65535) {
            err.println("Error: Username must be less than 65536 characters long.");
            return 1;
        }
        PasswordFileEditor editor = new PasswordFileEditor(Path.of(command.file()),
                password -> PasswordHash.create(password, command.algorithm(), command.iterations(),
                        new SecureRandom()).encoded());
        try {
            switch (command.mode()) {
                case DELETE:
                    return editor.delete(command.username(), err);
                case UPDATE_FILE:
                    return editor.hashPlainText(err);
                case CREATE:
                case SET:
                default:
                    byte[] password;
                    if (command.password() != null) {
                        password = command.password().getBytes(StandardCharsets.UTF_8);
                    } else {
                        PasswordSource.Outcome outcome = passwords.readTwice(err);
                        if (outcome.status() != 0) {
                            return outcome.status();
                        }
                        password = outcome.password();
                    }
                    if (password.length > 65535) {
                        err.println("Error: Password must be less than 65536 characters long.");
                        return 1;
                    }
                    try {
                        return command.mode() == PasswdCommand.Mode.CREATE
                                ? editor.create(command.username(), password, err)
                                : editor.set(command.username(), password, err);
                    } finally {
                        Arrays.fill(password, (byte) 0);
                    }
            }
        } catch (IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
    }

    /** Where interactive passwords come from: the terminal without echo, or standard input when it is not one. */
    interface PasswordSource {

        /** A password, or the exit status of a failure already reported. */
        record Outcome(byte[] password, int status) {
        }

        /** Asks twice, as mosquitto_passwd does; mismatch is status 2, nothing entered status 1. */
        Outcome readTwice(PrintStream err) throws IOException;

        static PasswordSource fromTerminalOrStdin(PrintStream out) {
            Console console = System.console();
            if (console != null) {
                return err -> compareTwice(err, () -> {
                    char[] chars = console.readPassword("Password: ");
                    return toBytes(chars, console.charset());
                }, () -> toBytes(console.readPassword("Reenter password: "), console.charset()));
            }
            return fromReader(out, new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())));
        }

        /** Standard input that is not a terminal: one password per line, prompts still printed. */
        static PasswordSource fromReader(PrintStream out, BufferedReader stdin) {
            return err -> compareTwice(err, () -> prompted(out, "Password: ", stdin),
                    () -> prompted(out, "Reenter password: ", stdin));
        }

        private static byte[] prompted(PrintStream out, String prompt, BufferedReader stdin) throws IOException {
            out.print(prompt);
            out.flush();
            String line = stdin.readLine();
            if (line == null) {
                return null;
            }
            // mosquitto_passwd ends the prompt line itself, since with echo off the user's Enter is not shown
            out.println();
            return line.getBytes(Charset.defaultCharset());
        }

        private static byte[] toBytes(char[] chars, Charset charset) {
            if (chars == null) {
                return null;
            }
            byte[] bytes = new String(chars).getBytes(charset);
            Arrays.fill(chars, '\0');
            return bytes;
        }

        private static Outcome compareTwice(PrintStream err, LineReader first, LineReader second)
                throws IOException {
            byte[] one = first.read();
            if (one == null || one.length == 0) {
                err.println("Error: Empty password.");
                return new Outcome(null, 1);
            }
            byte[] two = second.read();
            if (two == null || two.length == 0) {
                err.println("Error: Empty password.");
                return new Outcome(null, 1);
            }
            if (!Arrays.equals(one, two)) {
                err.println("Error: Passwords do not match.");
                return new Outcome(null, 2);
            }
            Arrays.fill(two, (byte) 0);
            return new Outcome(one, 0);
        }

        /** Reads one password; {@code null} at end of input. */
        @FunctionalInterface
        interface LineReader {
            byte[] read() throws IOException;
        }
    }
}
