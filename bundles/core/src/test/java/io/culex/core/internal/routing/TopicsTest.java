package io.culex.core.internal.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "/", "a//b", "$SYS/broker", "ünïcode/日本", " spaced "})
    void validTopicNames(String topic) {
        assertTrue(Topics.isValidTopicName(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/+", "#", "a/#/b", "a+b", "nul\u0000byte", "ctrl\u0001char", "del\u007f",
            "non\ufffechar", "c1\u0085"})
    void invalidTopicNames(String topic) {
        assertFalse(Topics.isValidTopicName(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "a/#", "a/+/b", "+/+", "/#", "a//+", "$SYS/#", "$share/g/a"})
    void validFilters(String filter) {
        assertTrue(Topics.isValidTopicFilter(filter));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a#", "a/b#", "a+", "+a", "a/+b", "##", "a/\u0000"})
    void invalidFilters(String filter) {
        assertFalse(Topics.isValidTopicFilter(filter));
    }
}
