package io.culex.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.culex.api.DeliveredMessage;
import io.culex.api.PublishProperties;

/** The bytes a message travels in between nodes: everything an MQTT 5 subscriber can see survives the trip. */
class ClusterMessageTest {

    @Test
    void aMessageWithEveryPropertySurvivesEncoding() {
        ClusterMessage original = ClusterMessage.of(delivered("a/ü/😀", "payload".getBytes(StandardCharsets.UTF_8),
                2, true, 3600, properties(true, "text/plain", "reply/to", new byte[] {1, 2, 3},
                        List.of(Map.entry("k", "v1"), Map.entry("k", "v2")))));
        ClusterMessage copy = ClusterMessage.decode(original.encode());
        assertEquals("a/ü/😀", copy.topic);
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), copy.payload);
        assertEquals(2, copy.qos);
        assertTrue(copy.retain);
        assertEquals(3600, copy.expirySeconds);
        assertTrue(copy.payloadUtf8);
        assertEquals("text/plain", copy.contentType);
        assertEquals("reply/to", copy.responseTopic);
        assertArrayEquals(new byte[] {1, 2, 3}, copy.correlationData);
        assertEquals(List.of(Map.entry("k", "v1"), Map.entry("k", "v2")), copy.userProperties);
    }

    @Test
    void theMarksForTheSessionsOfMembersThatLeftSurviveEncoding() {
        ClusterMessage plain = ClusterMessage.of(delivered("t", new byte[] {7}, 1, false, -1,
                properties(false, null, null, null, List.of())));
        ClusterMessage only = ClusterMessage.decode(plain.onlyForSessionsOf("m1").to(5, List.of("$share/g/t"))
                .encode());
        assertEquals(List.of("m1"), only.formerMembers);
        assertTrue(only.formerOnly);
        assertEquals(5, only.sequence);
        assertEquals(List.of("$share/g/t"), only.shareGroups);
        ClusterMessage except = ClusterMessage.decode(plain.exceptSessionsOf(List.of("m1", "m2")).encode());
        assertEquals(List.of("m1", "m2"), except.formerMembers);
        assertEquals(false, except.formerOnly);
        assertEquals(List.of(), ClusterMessage.decode(plain.encode()).formerMembers);
    }

    @Test
    void theMarksForMovingSessionsSurviveEncoding() {
        ClusterMessage plain = ClusterMessage.of(delivered("t", new byte[] {7}, 1, true, -1,
                properties(false, null, null, null, List.of())));
        ClusterMessage fanOut = ClusterMessage.decode(plain.sentTo(List.of("b", "c")).to(3, List.of()).encode());
        assertEquals(List.of("b", "c"), fanOut.sentTo);
        assertEquals(List.of(), ClusterMessage.decode(plain.sentTo(List.of("b")).encode()).sentTo,
                "one target: the receiver is the only one");
        ClusterMessage relayed = ClusterMessage.decode(fanOut.relayedFor(List.of("client-1", "client-2"))
                .to(9, List.of()).encode());
        assertEquals(List.of("client-1", "client-2"), relayed.forClients);
        assertEquals(List.of(), relayed.sentTo, "a relay goes to one member");
        assertEquals(9, relayed.sequence);
        assertTrue(relayed.retain);
        assertEquals(List.of(), ClusterMessage.decode(plain.encode()).forClients);
    }

    @Test
    void aPlainMessageKeepsItsAbsences() {
        ClusterMessage copy = ClusterMessage.decode(ClusterMessage.of(delivered("t", new byte[0], 0, false, -1,
                properties(false, null, null, null, List.of()))).encode());
        assertEquals(0, copy.payload.length);
        assertEquals(-1, copy.expirySeconds);
        assertEquals(null, copy.contentType);
        assertEquals(null, copy.correlationData);
        assertEquals(List.of(), copy.userProperties);
    }

    @Test
    void bytesOfAnotherVersionOrTruncatedAreRefusedWithAReason() {
        byte[] bytes = ClusterMessage.of(delivered("t", new byte[] {1}, 1, false, -1,
                properties(false, null, null, null, List.of()))).encode();
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterMessage.decode(otherVersion))
                .getMessage().contains("version 9"));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterMessage.decode(truncated))
                .getMessage().startsWith("malformed cluster message"));
    }

    private static PublishProperties properties(boolean utf8, String contentType, String responseTopic,
            byte[] correlation, List<Map.Entry<String, String>> user) {
        return new PublishProperties() {
            @Override
            public boolean payloadFormatUtf8() {
                return utf8;
            }

            @Override
            public String contentType() {
                return contentType;
            }

            @Override
            public String responseTopic() {
                return responseTopic;
            }

            @Override
            public byte[] correlationData() {
                return correlation;
            }

            @Override
            public List<Map.Entry<String, String>> userProperties() {
                return new ArrayList<>(user);
            }
        };
    }

    private static DeliveredMessage delivered(String topic, byte[] payload, int qos, boolean retain, long expiry,
            PublishProperties properties) {
        return new DeliveredMessage() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public byte[] payload() {
                return payload.clone();
            }

            @Override
            public int qos() {
                return qos;
            }

            @Override
            public boolean retain() {
                return retain;
            }

            @Override
            public long messageExpiryInterval() {
                return expiry;
            }

            @Override
            public PublishProperties properties() {
                return properties;
            }

            @Override
            public String origin() {
                return "client";
            }

            @Override
            public void complete() {
            }
        };
    }
}
