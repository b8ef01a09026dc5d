package io.culex.config.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.slf4j.MarkerFactory;

class LogTypeFilterTest {

    private final LoggerContext context = new LoggerContext();

    private FilterReply decide(Set<LogType> types, boolean connectionMessages, Level level, String marker) {
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("io.culex.core"), level,
                "message", null, null);
        if (marker != null) {
            event.addMarker(MarkerFactory.getMarker(marker));
        }
        return new LogTypeFilter(types, connectionMessages).decide(event);
    }

    @Test
    void levelsMapToMosquittoTypesExactlyNotAsAThreshold() {
        Set<LogType> warningOnly = EnumSet.of(LogType.WARNING);
        assertEquals(FilterReply.NEUTRAL, decide(warningOnly, true, Level.WARN, null));
        assertEquals(FilterReply.DENY, decide(warningOnly, true, Level.ERROR, null), "log_type warning hides errors");
        assertEquals(FilterReply.DENY, decide(warningOnly, true, Level.INFO, null));
    }

    @Test
    void noticeAndInformationBothMeanInfo() {
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.NOTICE), true, Level.INFO, null));
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.INFORMATION), true, Level.INFO, null));
        assertEquals(FilterReply.DENY, decide(EnumSet.of(LogType.ERROR), true, Level.INFO, null));
    }

    @Test
    void debugCoversTrace() {
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.DEBUG), true, Level.TRACE, null));
        assertEquals(FilterReply.DENY, decide(EnumSet.of(LogType.INFORMATION), true, Level.DEBUG, null));
    }

    @Test
    void categoryTypesAreSelectedByMarker() {
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.SUBSCRIBE), true, Level.INFO, "subscribe"));
        assertEquals(FilterReply.DENY, decide(EnumSet.of(LogType.INFORMATION), true, Level.INFO, "subscribe"),
                "information does not include subscribe messages");
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.UNSUBSCRIBE), true, Level.INFO, "unsubscribe"));
        assertEquals(FilterReply.NEUTRAL, decide(EnumSet.of(LogType.WEBSOCKETS), true, Level.DEBUG, "websockets"));
    }

    @Test
    void connectionMessagesCanBeTurnedOff() {
        Set<LogType> defaults = LoggingSettings.defaults().types();
        assertEquals(FilterReply.NEUTRAL, decide(defaults, true, Level.INFO, "connection"));
        assertEquals(FilterReply.DENY, decide(defaults, false, Level.INFO, "connection"));
        assertEquals(FilterReply.NEUTRAL, decide(defaults, false, Level.INFO, null));
    }

    @Test
    void noTypesNothingPasses() {
        assertEquals(FilterReply.DENY, decide(EnumSet.noneOf(LogType.class), true, Level.ERROR, null));
    }
}
