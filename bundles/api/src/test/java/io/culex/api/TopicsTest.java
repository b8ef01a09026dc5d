package io.culex.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topic matching of the broker, Mosquitto's {@code mosquitto_topic_matches_sub}, with its edge cases. */
class TopicsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "a/#;a/b/c;true",
        "a/#;a;true",
        "a/+;a/b;true",
        "a/+;a/b/c;false",
        "+/+;a/b;true",
        "#;$SYS/x;false",
        "+/x;$SYS/x;false",
        "$SYS/#;$SYS/x;true",
        "$CONTROL/dynamic-security/#;$CONTROL/dynamic-security/v1;true",
        "a/b;a/b;true",
        "a/b;a/c;false",
        "a//b;a//b;true",
        "a/+/b;a//b;true",
        "/#;/a;true",
        "a/+;a/;true",
        "+/+;/;true",
        "a/b;a/b/c;false",
        "a/b/c;a/b;false",
        "a/b/#;a/b;true",
        "a/b/#;a;false",
        "#;a/b;true",
        "+;a;true",
        "+;a/b;false",
        "a/+/#;a/b;true",
        "ab;a;false",
        "a;ab;false",
    })
    void publishMatching(String acl, String topic, boolean expected) {
        assertEquals(expected, Topics.matches(acl, topic));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {";a;false", "a;;false", "$SYS;$SYS;true", "$SYS/+;$SYS/x;true", "+;$x;false"})
    void emptyAndDollarEdges(String filter, String topic, boolean expected) {
        assertEquals(expected, Topics.matches(filter == null ? "" : filter, topic == null ? "" : topic));
    }
}
