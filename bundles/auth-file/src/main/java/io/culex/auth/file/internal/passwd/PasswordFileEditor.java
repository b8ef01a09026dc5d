package io.culex.auth.file.internal.passwd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Changes a password file line by line, as mosquitto_passwd does, with two deliberate differences that protect the
 * file: a corrupt line stops the command before anything is written (mosquitto_passwd 2.0.11 drops the lines from
 * there on), and {@code -U} leaves lines that already hold a {@code $6$}/{@code $7$} hash alone (mosquitto_passwd
 * hashes the hash again, which locks the user out). Comment and blank lines are kept.
 */
final class PasswordFileEditor {

    private final Path file;
    private final Function<byte[], String> hasher;

    /** @param hasher turns a password into the text after {@code username:} */
    PasswordFileEditor(Path file, Function<byte[], String> hasher) {
        this.file = file;
        this.hasher = hasher;
    }

    /** {@code -c}: the file, replaced, holds this user only. */
    int create(String username, byte[] password, PrintStream err) {
        try {
            Files.writeString(file, username + ":" + hasher.apply(password) + "\n", StandardCharsets.UTF_8);
            return 0;
        } catch (IOException e) {
            err.println("Error: Unable to open file " + file + " for writing. " + reason(e) + ".");
            return 1;
        }
    }

    /** Adds the user, or changes its password. */
    int set(String username, byte[] password, PrintStream err) {
        List<String> lines = readLines(err);
        if (lines == null) {
            return 1;
        }
        String entry = username + ":" + hasher.apply(password);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (username.equals(userOf(lines.get(i)))) {
                lines.set(i, entry);
                found = true;
            }
        }
        if (!found) {
            lines.add(entry);
        }
        return write(lines, err);
    }

    /** {@code -D}: removes the user; a user that is not there is a warning and status 1, as in mosquitto_passwd. */
    int delete(String username, PrintStream err) {
        List<String> lines = readLines(err);
        if (lines == null) {
            return 1;
        }
        boolean removed = lines.removeIf(line -> username.equals(userOf(line)));
        if (!removed) {
            err.println("Warning: User " + username + " not found in password file.");
            return 1;
        }
        return write(lines, err);
    }

    /** {@code -U}: hashes every plain-text password. */
    int hashPlainText(PrintStream err) {
        List<String> lines = readLines(err);
        if (lines == null) {
            return 1;
        }
        for (int i = 0; i < lines.size(); i++) {
            String user = userOf(lines.get(i));
            if (user == null) {
                continue;
            }
            String secret = secretOf(lines.get(i));
            if (!secret.startsWith("$6$") && !secret.startsWith("$7$")) {
                lines.set(i, user + ":" + hasher.apply(secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return write(lines, err);
    }

    /** @return the lines, or {@code null} after reporting an unreadable or corrupt file */
    private List<String> readLines(PrintStream err) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("Error: Unable to open password file " + file + ". " + reason(e) + ".");
            return null;
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!isCommentOrBlank(line) && userOf(line) == null) {
                err.println("Error: Corrupt password file at line " + (i + 1) + ".");
                return null;
            }
        }
        return lines;
    }

    private int write(List<String> lines, PrintStream err) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        try {
            // Written in place, not renamed over: the file keeps its owner and permissions.
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return 0;
        } catch (IOException e) {
            err.println("Error: Unable to write to password file " + file + ". " + reason(e) + ".");
            return 1;
        }
    }

    private static boolean isCommentOrBlank(String line) {
        String t = line.strip();
        return t.isEmpty() || t.startsWith("#");
    }

    /** @return the user of a {@code user:secret} line, {@code null} for anything else */
    private static String userOf(String line) {
        if (isCommentOrBlank(line)) {
            return null;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            return null;
        }
        return line.substring(0, colon).strip();
    }

    private static String secretOf(String line) {
        return line.substring(line.indexOf(':') + 1).strip();
    }

    /** The C library's words for the usual errors, as mosquitto_passwd prints strerror(). */
    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }
}
