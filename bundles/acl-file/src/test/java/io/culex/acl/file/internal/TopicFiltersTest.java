package io.culex.acl.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicFiltersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/b     | a/b     | true", "a/+ | a/b | true", "a/+ | a | false", "a/# | a | true",
            "#       | a/b/c   | true", "+/+ | a/b | true", "+ | /a | false", "+/+ | /a | true",
            "#       | $SYS/x  | false", "+/x | $SYS/x | false", "$SYS/# | $SYS/x | true", "a | a/b | false",
    })
    void matches(String filter, String topic, boolean expected) {
        assertEquals(expected, TopicFilters.matches(filter, topic));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/#   | +/b     | true", "a/+ | b/+ | false", "a/+ | a/b/c | false", "a/# | a | true",
            "a     | a/#     | true", "#   | $SYS/# | false", "$SYS/# | + | false", "+/+ | a/# | true",
            "a/b/c | a/+/c   | true", "a/b | a/b/+ | false",
    })
    void intersect(String a, String b, boolean expected) {
        assertEquals(expected, TopicFilters.intersect(a, b));
        assertEquals(expected, TopicFilters.intersect(b, a));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/#   | a/b/+   | true", "a/#  | a | true", "a/+ | a/b | true", "a/+ | a/# | false",
            "a     | a/#     | false", "#   | $SYS/x | false", "+/+ | a/+ | true", "a/+ | +/b | false",
            "$SYS/# | $SYS/+ | true",
    })
    void covers(String outer, String inner, boolean expected) {
        assertEquals(expected, TopicFilters.covers(outer, inner));
    }
}
