package io.culex.sample.topicmodification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

import io.culex.api.MessageInterceptor.Verdict;

class TopicPrefixRewriterTest {

    @Test
    void movesMatchingTopics() {
        FakeMessage message = new FakeMessage("legacy/kitchen/temp", "21.5");
        assertEquals(Verdict.CONTINUE, rewriter("legacy/", "devices/").intercept(null, message));
        assertEquals("devices/kitchen/temp", message.topic());
        assertEquals("21.5", message.payloadText(), "the payload is untouched");
    }

    @Test
    void leavesOtherTopicsAlone() {
        FakeMessage message = new FakeMessage("legacyx/a", "p");
        rewriter("legacy/", "devices/").intercept(null, message);
        assertEquals("legacyx/a", message.topic());
    }

    @Test
    void aRewriteToNothingDropsTheMessage() {
        assertEquals(Verdict.DROP, rewriter("gone", "").intercept(null, new FakeMessage("gone", "p")));
    }

    @Test
    void badRulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> rewriter("", "x/"));
        assertThrows(IllegalArgumentException.class, () -> rewriter("a/", "b/#/"));
    }

    private static TopicPrefixRewriter rewriter(String from, String to) {
        TopicPrefixRewriter rewriter = new TopicPrefixRewriter();
        rewriter.configure(new TopicPrefixRewriter.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TopicPrefixRewriter.Config.class;
            }

            @Override
            public String from() {
                return from;
            }

            @Override
            public String to() {
                return to;
            }
        });
        return rewriter;
    }
}
