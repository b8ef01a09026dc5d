package io.culex.auth.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of one Mosquitto password file, read as Mosquitto 2.0 reads it: {@code username:hash} per line,
 * {@code #} comment lines, blanks trimmed. A damaged line is skipped with Mosquitto's message plus the file and line
 * number, and the rest still loads. When a user name appears twice the later line wins, as in Mosquitto.
 *
 * @param users the usable entries by user name
 * @param problems one message per skipped line, ending with {@code (file:line)}
 */
record PasswordFile(Map<String, PasswordHash> users, List<String> problems) {

    PasswordFile {
        users = Map.copyOf(users);
        problems = List.copyOf(problems);
    }

    /** An empty file: nobody can log in with a user name. */
    static PasswordFile empty() {
        return new PasswordFile(Map.of(), List.of());
    }

    /** Reads and parses the file; an unreadable file is an {@link IOException}, a damaged line is not. */
    static PasswordFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static PasswordFile parse(String fileName, List<String> lines) {
        Map<String, PasswordHash> users = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = " (" + fileName + ":" + (i + 1) + ")";
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            // Mosquitto tokenises with strtok(":"): empty fields vanish and text after a second field is ignored.
            List<String> fields = nonEmptyFields(line);
            if (fields.isEmpty()) {
                problems.add("Warning: Empty username in password file '" + fileName + "', ignoring." + where);
                continue;
            }
            String username = fields.get(0).strip();
            if (username.isEmpty()) {
                problems.add("Warning: Empty username in password file '" + fileName + "', ignoring." + where);
                continue;
            }
            if (fields.size() < 2) {
                // Mosquitto says nothing for a line without any colon; saying it helps whoever edited the file.
                problems.add("Warning: Invalid line in password file '" + fileName + "': " + line + where);
                continue;
            }
            try {
                users.put(username, PasswordHash.parse(username, fields.get(1).strip()));
            } catch (InvalidHashException e) {
                users.remove(username);
                problems.add(e.getMessage() + where);
            }
        }
        return new PasswordFile(users, problems);
    }

    private static List<String> nonEmptyFields(String line) {
        List<String> fields = new ArrayList<>();
        for (String field : line.split(":")) {
            if (!field.isEmpty()) {
                fields.add(field);
            }
        }
        return fields;
    }
}
