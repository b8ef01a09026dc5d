package io.culex.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreAsWideAsTheirWidestCellAndNullIsADash() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Table table = new Table("ID", "USERNAME", "QOS").row("a-long-client", null, 1).row("b", "bob", 2);
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(String.join(System.lineSeparator(),
                "ID             USERNAME  QOS",
                "a-long-client  -         1",
                "b              bob       2", ""), bytes.toString(StandardCharsets.UTF_8));
        assertEquals(2, table.size());
    }

    @Test
    void aRowMustFillTheColumns() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void payloadPreviewsShowTextAndDescribeTheRest() {
        assertEquals("21.5", RetainedCommand.preview("21.5".getBytes(StandardCharsets.UTF_8)));
        assertEquals("(binary)", RetainedCommand.preview(new byte[] {(byte) 0xC3, 0x28}));
        assertEquals("(binary)", RetainedCommand.preview("a\nb".getBytes(StandardCharsets.UTF_8)));
        assertEquals("x".repeat(57) + "...", RetainedCommand.preview("x".repeat(100).getBytes(StandardCharsets.UTF_8)));
        assertEquals("", RetainedCommand.preview(new byte[0]));
    }
}
