package io.culex.sys.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SysFormatTest {

    /** The expected strings are what glibc's printf("%.2f") prints for these doubles. */
    @ParameterizedTest
    @CsvSource({
            "0.0, 0.00",
            "1.0, 1.00",
            "0.125, 0.12",     // an exact tie: half to even
            "0.375, 0.38",     // an exact tie: half to even
            "2.675, 2.67",     // the double is 2.67499999...
            "0.005, 0.01",     // the double is 0.005000000000000000104...
            "9.2120, 9.21",
            "1234567.899, 1234567.90",
            "58.026, 58.03"})
    void loadValuesAreFormattedAsCPrintfDoes(double value, String expected) {
        assertEquals(expected, SysFormat.twoDecimals(value));
    }

    @Test
    void theDecimalSeparatorIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            assertEquals("3.50", SysFormat.twoDecimals(3.5));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void uptimeAndVersionReadAsMosquittosDo() {
        assertEquals("0 seconds", SysFormat.uptime(0));
        assertEquals("86400 seconds", SysFormat.uptime(86_400));
        assertEquals("culex version 1.2.3", SysFormat.version("1.2.3"));
    }
}
