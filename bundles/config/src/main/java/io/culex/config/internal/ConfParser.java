package io.culex.config.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a mosquitto.conf-style file, and the files of its {@code include_dir} lines, into a {@link ParsedConfig}.
 * It does no I/O besides reading those files and logs nothing: what it has to say is returned with the outcome.
 */
final class ConfParser {

    private static final String CONF_SUFFIX = ".conf";

    private final OptionRegistry options = OptionRegistry.mosquittoOptions();

    ParseOutcome parse(Path mainFile) {
        Reading reading = new Reading();
        try {
            reading.readFile(mainFile, 0);
            ParsedConfig config = reading.state.finish();
            return ParseOutcome.success(config, reading.state.diagnostics(), reading.sources());
        } catch (ConfigException e) {
            return ParseOutcome.failure(e, reading.state.diagnostics(), reading.sources());
        }
    }

    /** One pass over a file and its includes. */
    private final class Reading {

        private final ParseState state = new ParseState();
        private final List<Path> files = new ArrayList<>();
        private final List<Path> directories = new ArrayList<>();

        WatchedSources sources() {
            return new WatchedSources(files, directories);
        }

        /** @param level 0 for the main file; Mosquitto honours include_dir only there */
        void readFile(Path file, int level) throws ConfigException {
            files.add(file);
            List<ConfFileReader.RawLine> lines = ConfFileReader.read(file);
            for (int i = 0; i < lines.size(); i++) {
                ConfFileReader.RawLine raw = lines.get(i);
                SourceLocation location = new SourceLocation(file, i + 1);
                Optional<OptionLine> line = OptionLine.of(raw.text(), location);
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    if (raw.malformedUtf8()) {
                        throw new ConfigException("Error: Malformed UTF-8 in configuration.");
                    }
                    apply(line.get(), level);
                } catch (ConfigException e) {
                    throw e.foundAt(location);
                }
            }
        }

        private void apply(OptionLine line, int level) throws ConfigException {
            if (line.name().equals("include_dir")) {
                if (level == 0) {
                    includeDirectory(line, level);
                }
                return;
            }
            OptionHandler handler = options.find(line.name()).orElseThrow(() ->
                    new ConfigException("Error: Unknown configuration variable \"" + line.name() + "\"."));
            handler.apply(state, line);
        }

        private void includeDirectory(OptionLine line, int level) throws ConfigException {
            String value = line.remainder();
            if (value == null || value.isBlank()) {
                throw new ConfigException("Error: Empty include_dir value in configuration.");
            }
            Path directory = Path.of(value.strip());
            directories.add(directory);
            for (Path file : confFiles(directory)) {
                state.report(Diagnostic.info("Loading config file " + file));
                readFile(file, level + 1);
            }
        }

        /** The files ending in .conf (hidden ones too, but not a bare ".conf"), in Mosquitto's order. */
        private List<Path> confFiles(Path directory) throws ConfigException {
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (name.length() > CONF_SUFFIX.length() && name.endsWith(CONF_SUFFIX)) {
                        names.add(name);
                    }
                }
            } catch (IOException | SecurityException e) {
                throw new ConfigException("Error: Unable to open include_dir '" + directory + "'.");
            }
            names.sort(IncludeDirOrder.INSTANCE);
            return names.stream().map(directory::resolve).toList();
        }
    }
}
