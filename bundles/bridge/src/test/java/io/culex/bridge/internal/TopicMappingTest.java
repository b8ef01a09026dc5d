package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicMappingTest {

    @Test
    void missingFieldsTakeMosquittosDefaults() {
        TopicMapping mapping = TopicMapping.parse("sensors/#");
        assertEquals(new TopicMapping("sensors/#", Direction.OUT, 0, "", ""), mapping);
        assertEquals("sensors/# out 0 \"\" \"\"", mapping.toString());
    }

    @Test
    void theConfigBundlesNormalisedFormIsReadBack() {
        TopicMapping mapping = TopicMapping.parse("cmd/# in 2 local/ remote/");
        assertEquals(new TopicMapping("cmd/#", Direction.IN, 2, "local/", "remote/"), mapping);
        assertEquals("local/cmd/#", mapping.localFilter());
        assertEquals("remote/cmd/#", mapping.remoteFilter());
        assertEquals(mapping, TopicMapping.parse(mapping.toString()));
    }

    @ParameterizedTest
    @CsvSource({
            "'sensors/# out 1 local/ remote/', local/sensors/a, remote/sensors/a",
            "'sensors/# out 1 \"\" remote/', sensors/a, remote/sensors/a",
            "'sensors/# out 1 local/ \"\"', local/sensors/a, sensors/a",
            "'\"\" out 1 l/only r/only', l/only, r/only",
            "'# both 0', a/b, a/b"})
    void prefixesAreSwappedBothWays(String line, String local, String remote) {
        TopicMapping mapping = TopicMapping.parse(line);
        assertEquals(remote, mapping.toRemote(local));
        assertEquals(local, mapping.toLocal(remote));
    }

    @Test
    void onlyIncomingMappingsMatchRemoteTopics() {
        assertTrue(TopicMapping.parse("a/# in 0 l/ r/").matchesRemote("r/a/b"));
        assertFalse(TopicMapping.parse("a/# in 0 l/ r/").matchesRemote("a/b"));
        assertTrue(TopicMapping.parse("a/# both 0").matchesRemote("a/b"));
        assertFalse(TopicMapping.parse("a/# out 0").matchesRemote("a/b"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a sideways | Invalid bridge topic direction 'sideways'",
            "a in 3 | Invalid bridge QoS level '3'",
            "a in x | Invalid bridge QoS level 'x'",
            "\"\" in 0 \"\" r/ | Invalid bridge remapping",
            "a in 0 l/# r/ | Invalid bridge topic local prefix 'l/#'",
            "a in 0 l/ r/+ | Invalid bridge topic remote prefix 'r/+'",
            "a/#/b | Invalid bridge topic pattern 'a/#/b'",
            "a in 0 l/ r/ extra | Invalid bridge topic 'a in 0 l/ r/ extra'"})
    void badTopicLinesAreRejected(String line, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> TopicMapping.parse(line))
                .getMessage());
    }
}
