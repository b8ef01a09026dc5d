package io.culex.dynsec.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicMatchingTest {

    /** The table of Mosquitto's own sub_matches_sub.c test, plus edge cases. */
    @ParameterizedTest(name = "ACL {0} covers subscription {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "foo/+/bar;foo/#;false",
        "foo/+/ba℞/#;foo/baz/ba℞;true",
        "foo/+/ba℞/#;foo/baz/ba℞/+;true",
        "foo/+/ba℞/#;foo/baz/ba℞/#;true",
        "foo/+/ba℞/#;foo/baz/+/#;false",
        "/+//#;/foo///#;true",
        "#;#;true",
        "#;+;true",
        "/#;+;false",
        "/#;/+;true",
        "/+;#;false",
        "/+;+;false",
        "+/+;topic/topic;true",
        "+/+;topic/topic/;false",
        "+;#;false",
        "+;+;true",
        "a/b/c/d/e;a/b/c/d/e;true",
        "a/b/ /d/e;a/b/c/d/e;false",
        "a/#;a;true",
        "a/+;a/b/c;false",
    })
    void subscriptionCoverage(String acl, String subscription, boolean expected) {
        assertEquals(expected, TopicMatching.covers(acl, subscription));
    }

    @ParameterizedTest(name = "{0} is a valid ACL filter: {1}")
    @CsvSource(delimiter = ';', value = {
        "a/#;true", "#;true", "+/a/+;true", "a#;false", "a/#/b;false", "a+;false", "a/+b;false", "/;true"})
    void filterValidation(String filter, boolean expected) {
        assertEquals(expected, TopicMatching.isValidFilter(filter));
    }
}
