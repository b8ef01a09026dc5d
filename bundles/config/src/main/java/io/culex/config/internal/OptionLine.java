package io.culex.config.internal;

import java.util.Optional;

/**
 * One option line, tokenised the way Mosquitto does it with {@code strtok_r(line, " ")}: only the space character
 * separates tokens (a tab does not), runs of spaces count as one separator, and a string value is the remainder of
 * the line. Matching this exactly matters because a file that Mosquitto accepts must mean the same thing here.
 */
final class OptionLine {

    private final String text;
    private final SourceLocation location;
    private final String name;
    private int cursor;

    private OptionLine(String text, SourceLocation location) {
        this.text = text;
        this.location = location;
        this.name = nextToken();
    }

    /** The option on this line, or empty for a comment (a {@code #} in the first column) or a blank line. */
    static Optional<OptionLine> of(String rawLine, SourceLocation location) {
        String line = stripLineEnd(rawLine);
        if (line.isEmpty() || line.charAt(0) == '#') {
            return Optional.empty();
        }
        OptionLine optionLine = new OptionLine(line, location);
        return optionLine.name == null ? Optional.empty() : Optional.of(optionLine);
    }

    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    String name() {
        return name;
    }

    SourceLocation location() {
        return location;
    }

    /** The next space-separated token, or null when the line has no more. */
    String nextToken() {
        int start = cursor;
        while (start < text.length() && text.charAt(start) == ' ') {
            start++;
        }
        if (start >= text.length()) {
            cursor = text.length();
            return null;
        }
        int end = text.indexOf(' ', start);
        if (end < 0) {
            end = text.length();
        }
        cursor = Math.min(end + 1, text.length());
        return text.substring(start, end);
    }

    /**
     * The rest of the line after the last token and the one space that ended it, untrimmed, or null when nothing
     * is left ({@code strtok_r(NULL, "", ...)}).
     */
    String remainder() {
        if (cursor >= text.length()) {
            return null;
        }
        String rest = text.substring(cursor);
        cursor = text.length();
        return rest;
    }
}
