package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class OptionLineTest {

    private static final SourceLocation HERE = new SourceLocation(Path.of("/etc/culex/culex.conf"), 7);

    private static OptionLine line(String text) {
        return OptionLine.of(text, HERE).orElseThrow();
    }

    @Test
    void commentsAndBlankLinesAreNoOptions() {
        assertTrue(OptionLine.of("# listener 1883", HERE).isEmpty());
        assertTrue(OptionLine.of("", HERE).isEmpty());
        assertTrue(OptionLine.of("    ", HERE).isEmpty());
        assertTrue(OptionLine.of("\r\n", HERE).isEmpty());
    }

    @Test
    void onlySpacesSeparateTokens() {
        OptionLine line = line("listener   8883\t0.0.0.0  extra");
        assertEquals("listener", line.name());
        assertEquals("8883\t0.0.0.0", line.nextToken());
        assertEquals("extra", line.nextToken());
        assertNull(line.nextToken());
        assertEquals("\tlistener", line("\tlistener 1883").name());
    }

    @Test
    void theRemainderStartsAfterTheOneSpaceThatEndedTheLastToken() {
        OptionLine line = line("password_file   /etc/culex/pass word  \r");
        assertEquals("  /etc/culex/pass word  ", line.remainder());
        assertNull(line.remainder());
        assertNull(line("password_file").remainder());
    }

    @Test
    void locationPrintsAsMosquittoPrintsIt() {
        assertEquals("/etc/culex/culex.conf:7", line("foo").location().toString());
    }
}
