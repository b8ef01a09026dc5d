package io.culex.config.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrftimeFormatterTest {

    /** The instant of a mosquitto 2.0.11 run whose output is quoted below. */
    private static final Instant MOSQUITTO_RUN = Instant.ofEpochSecond(1795315704L);

    private static String format(String format, Instant instant) {
        return StrftimeFormatter.compile(format).format(instant, ZoneOffset.UTC);
    }

    @Test
    void theFormatsMosquittoPrinted() {
        assertEquals("2026-11-22T02:48:24", format("%Y-%m-%dT%H:%M:%S", MOSQUITTO_RUN));
        // mosquitto 2.0.11 with "log_timestamp_format [%s] %b %e %j %% %Z", TZ=UTC
        assertEquals("[1795315704] Nov 22 326 % UTC", format("[%s] %b %e %j %% %Z", MOSQUITTO_RUN));
    }

    @Test
    void paddingFlagsAndUnknownConversions() {
        Instant early = Instant.parse("2024-03-05T07:08:09Z");
        assertEquals("05 5  5  5 05", format("%d %-d %e %_d %0e", early));
        assertEquals("%Q %-Q 100%", format("%Q %-Q 100%", early));
        assertEquals("07AM  7 am", format("%I%p %l %P", early));
    }

    @Test
    void zonesUseTheirAbbreviationAndOffset() {
        Instant summer = Instant.parse("2024-07-01T12:00:00Z");
        assertEquals("14:00 CEST +0200",
                StrftimeFormatter.compile("%H:%M %Z %z").format(summer, ZoneId.of("Europe/Paris")));
        assertEquals("07:30 -0430", StrftimeFormatter.compile("%H:%M %z").format(summer, ZoneOffset.ofHoursMinutes(-4, -30)));
    }

    /** Each conversion against GNU date, which formats with the C library's strftime, as Mosquitto does. */
    @ParameterizedTest
    @ValueSource(strings = {"%a %A %b %B %h", "%c", "%C %y %Y %G %g", "%d %e %j %m", "%D %F %x", "%H %I %k %l",
            "%M %S %p %P", "%r %R %T %X", "%s", "%u %w %U %W %V", "%z %Z", "%n%t%%", "%-d %_m %-j %-H"})
    void matchesTheCLibrary(String format) throws Exception {
        Path date = Path.of("/usr/bin/date");
        assumeTrue(Files.isExecutable(date), "GNU date is not installed");
        for (String time : new String[] {"2024-01-01T00:05:09Z", "2024-12-31T23:59:59Z", "2021-01-03T12:00:00Z",
                "2026-11-22T02:48:24Z"}) {
            Instant instant = Instant.parse(time);
            assertEquals(cLibrary(date, format, instant), format(format, instant), format + " at " + time);
        }
    }

    private static String cLibrary(Path date, String format, Instant instant) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(date.toString(), "-u", "-d", "@" + instant.getEpochSecond(),
                "+" + format);
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("TZ", "UTC");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output.substring(0, output.length() - 1); // date adds a newline
    }
}
