package io.culex.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void units() throws ConfigException {
        assertEquals(2 * 3600L, Durations.seconds("2h"));
        assertEquals(14 * 86400L, Durations.seconds("14d"));
        assertEquals(3 * 7 * 86400L, Durations.seconds("3w"));
        assertEquals(2 * 30 * 86400L, Durations.seconds("2m"));
        assertEquals(365 * 86400L, Durations.seconds("1y"));
        assertEquals(100_000_000L * 365 * 86400, Durations.seconds("100000000y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h", "5", "5s", "0h", "-2d", "1.5d", "d1", "99999999999999999y"})
    void invalid(String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> Durations.seconds(value));
        assertEquals("Error: Invalid persistent_client_expiration duration in configuration.", error.getMessage());
    }
}
