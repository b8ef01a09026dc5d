package io.culex.sample.messagetimestamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.culex.api.MessageInterceptor.Verdict;

class TimestampInterceptorTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2024-05-01T12:00:00.123Z"), ZoneOffset.UTC);

    @Test
    void prefixesThePayloadWithTheIsoTime() {
        FakeMessage message = new FakeMessage("sensors/kitchen", "21.5");
        assertEquals(Verdict.CONTINUE, interceptor("#", "iso").intercept(null, message));
        assertEquals("2024-05-01T12:00:00.123Z 21.5", message.payloadText());
    }

    @Test
    void millisFormat() {
        FakeMessage message = new FakeMessage("a", "x");
        interceptor("#", "millis").intercept(null, message);
        assertEquals("1714564800123 x", message.payloadText());
    }

    @Test
    void onlyMatchingTopicsAreStamped() {
        TimestampInterceptor interceptor = interceptor("sensors/+/temp", "iso");
        FakeMessage other = new FakeMessage("sensors/kitchen/humidity", "40");
        interceptor.intercept(null, other);
        assertEquals("40", other.payloadText());
        FakeMessage system = new FakeMessage("$SYS/broker/uptime", "1");
        interceptor("#", "iso").intercept(null, system);
        assertEquals("1", system.payloadText(), "# does not match $-topics");
    }

    @Test
    void topicFilterFollowsMqtt() {
        assertTrue(new TopicFilter("a/#").matches("a"));
        assertTrue(new TopicFilter("a/+/c").matches("a/b/c"));
        assertFalse(new TopicFilter("a/+").matches("a/b/c"));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter("a/#/b"));
        assertThrows(IllegalArgumentException.class, () -> new TopicFilter("a+"));
    }

    @Test
    void unknownFormatIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> interceptor("#", "rfc822"));
    }

    private static TimestampInterceptor interceptor(String topics, String format) {
        TimestampInterceptor interceptor = new TimestampInterceptor(NOON);
        interceptor.configure(new TimestampInterceptor.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TimestampInterceptor.Config.class;
            }

            @Override
            public String topics() {
                return topics;
            }

            @Override
            public String format() {
                return format;
            }
        });
        return interceptor;
    }
}
