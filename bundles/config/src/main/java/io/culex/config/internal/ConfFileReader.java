package io.culex.config.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a configuration file into lines, with Mosquitto's messages for a file that cannot be read. */
final class ConfFileReader {

    /** A line of text; {@code malformedUtf8} when its bytes are not UTF-8 (the text then holds replacements). */
    record RawLine(String text, boolean malformedUtf8) {
    }

    private ConfFileReader() {
    }

    static List<RawLine> read(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException("Error: Config file " + file + " is a directory.");
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("Error: Unable to open config file " + file + ".");
        }
        List<RawLine> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                if (i > start || i < content.length) {
                    lines.add(decode(content, start, i - start));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    /**
     * Decodes one line strictly: Mosquitto rejects a value that is not UTF-8, so a bad byte must be noticed
     * rather than silently replaced (comments may hold anything, the parser decides).
     */
    private static RawLine decode(byte[] content, int offset, int length) {
        ByteBuffer bytes = ByteBuffer.wrap(content, offset, length);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
            return new RawLine(text, false);
        } catch (CharacterCodingException e) {
            return new RawLine(new String(content, offset, length, StandardCharsets.UTF_8), true);
        }
    }
}
