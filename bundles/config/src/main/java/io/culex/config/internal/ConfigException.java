package io.culex.config.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration that must not be applied. The message is in Mosquitto's words ("Error: ..."), so that users can
 * search for it as they would for Mosquitto's, and the locations say where, innermost first: a bad line in an
 * included file is reported with that file's line and then with the {@code include_dir} line that pulled it in,
 * exactly as Mosquitto prints it.
 */
final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<SourceLocation> locations = new ArrayList<>();

    ConfigException(String mosquittoMessage) {
        super(mosquittoMessage);
    }

    /** Records that the error was found at (or through) this line; returns this exception for rethrowing. */
    ConfigException foundAt(SourceLocation location) {
        locations.add(location);
        return this;
    }

    /** The lines Mosquitto prints for this error: the message, then one "Error found at" line per location. */
    List<String> reportLines() {
        List<String> lines = new ArrayList<>();
        lines.add(getMessage());
        for (SourceLocation location : locations) {
            lines.add("Error found at " + location + ".");
        }
        return lines;
    }

    /** A one-line summary, used as the status service's {@code culex.config.error} property. */
    String summary() {
        return String.join(" ", reportLines());
    }
}
