package io.culex.acl.file.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one Mosquitto ACL file, parsed as Mosquitto 2.0 parses it. Within each list the {@code deny} rules
 * come first (Mosquitto prepends them), then the grants in file order.
 *
 * @param anonymous {@code topic} lines before any {@code user} line: for clients without a user name
 * @param users {@code topic} lines after {@code user <name>}, by user name
 * @param patterns every {@code pattern} line, wherever it is in the file
 */
record AclFile(List<AclRule> anonymous, Map<String, List<AclRule>> users, List<AclRule> patterns) {

    AclFile {
        anonymous = List.copyOf(anonymous);
        Map<String, List<AclRule>> copy = new HashMap<>();
        users.forEach((user, rules) -> copy.put(user, List.copyOf(rules)));
        users = Map.copyOf(copy);
        patterns = List.copyOf(patterns);
    }

    /** No rules: every check is denied. */
    static AclFile empty() {
        return new AclFile(List.of(), Map.of(), List.of());
    }

    static AclFile read(Path file) throws IOException, AclFileException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses the whole file. Unlike the password file, one bad line makes the whole file unusable (Mosquitto then
     * refuses to start), so that a typo cannot silently open or close access.
     *
     * @throws AclFileException naming the first bad line
     */
    static AclFile parse(String fileName, List<String> lines) throws AclFileException {
        List<AclRule> anonymous = new ArrayList<>();
        Map<String, List<AclRule>> users = new HashMap<>();
        List<AclRule> patterns = new ArrayList<>();
        List<AclRule> current = anonymous;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String where = " (" + fileName + ":" + lineNumber + ")";
            String line = lines.get(i).stripTrailing();
            if (line.startsWith("#")) {
                continue;
            }
            // Mosquitto tokenises with strtok(" "): spaces only, leading spaces skipped; a tab is part of a token.
            String rest = stripLeadingSpaces(line);
            if (rest.isEmpty()) {
                continue;
            }
            String keyword = token(rest);
            rest = afterToken(rest);
            switch (keyword) {
                case "topic", "pattern" -> {
                    if (rest.isEmpty()) {
                        throw new AclFileException("Error: Empty topic in acl_file \"" + fileName + "\"." + where);
                    }
                    String accessWord = token(rest);
                    String topic = afterToken(rest).strip();
                    AclRule.Kind access;
                    if (topic.isEmpty()) {
                        // "topic foo": the one word is the topic, with read and write access
                        topic = accessWord;
                        access = AclRule.Kind.READWRITE;
                    } else {
                        access = accessKind(accessWord, fileName, where);
                    }
                    if (!TopicFilters.isValidFilter(topic)) {
                        throw new AclFileException("Error: Invalid ACL topic \"" + topic + "\" in acl_file \""
                                + fileName + "\"." + where);
                    }
                    AclRule rule = new AclRule(access, topic, lineNumber);
                    add(keyword.equals("topic") ? current : patterns, rule);
                }
                case "user" -> {
                    String user = rest.strip();
                    if (user.isEmpty()) {
                        throw new AclFileException("Error: Missing username in acl_file \"" + fileName + "\", line "
                                + lineNumber + ".");
                    }
                    current = users.computeIfAbsent(user, u -> new ArrayList<>());
                }
                default -> throw new AclFileException("Error: Invalid line in acl_file \"" + fileName + "\": "
                        + keyword + "." + where);
            }
        }
        return new AclFile(anonymous, users, patterns);
    }

    /** Denials go before every grant, as Mosquitto's list insertion does. */
    private static void add(List<AclRule> rules, AclRule rule) {
        if (rule.access() == AclRule.Kind.DENY) {
            int firstGrant = 0;
            while (firstGrant < rules.size() && rules.get(firstGrant).access() == AclRule.Kind.DENY) {
                firstGrant++;
            }
            rules.add(firstGrant, rule);
        } else {
            rules.add(rule);
        }
    }

    private static AclRule.Kind accessKind(String word, String fileName, String where) throws AclFileException {
        return switch (word) {
            case "read" -> AclRule.Kind.READ;
            case "write" -> AclRule.Kind.WRITE;
            case "readwrite" -> AclRule.Kind.READWRITE;
            case "deny" -> AclRule.Kind.DENY;
            default -> throw new AclFileException("Error: Invalid topic access type \"" + word + "\" in acl_file \""
                    + fileName + "\"." + where);
        };
    }

    private static String stripLeadingSpaces(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    private static String token(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    private static String afterToken(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? "" : stripLeadingSpaces(s.substring(space + 1));
    }
}
