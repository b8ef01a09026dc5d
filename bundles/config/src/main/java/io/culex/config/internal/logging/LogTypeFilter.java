package io.culex.config.internal.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Marker;

/**
 * Lets through exactly the log types that {@code log_type} enables, as Mosquitto does: {@code log_type warning}
 * alone shows warnings but not errors, which logger levels (a threshold) cannot express. Category types
 * (subscribe, unsubscribe, websockets, internal) are selected by an slf4j marker of that name; an event marked
 * {@code connection} is dropped when {@code connection_messages} is false.
 */
final class LogTypeFilter extends Filter<ILoggingEvent> {

    static final String CONNECTION_MARKER = "connection";

    private final Set<LogType> types;
    private final boolean connectionMessages;

    LogTypeFilter(Set<LogType> types, boolean connectionMessages) {
        this.types = types.isEmpty() ? EnumSet.noneOf(LogType.class) : EnumSet.copyOf(types);
        this.connectionMessages = connectionMessages;
        setName("culex-log-type");
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        if (markers != null && !markers.isEmpty()) {
            if (!connectionMessages && hasMarker(markers, CONNECTION_MARKER)) {
                return FilterReply.DENY;
            }
            for (LogType type : LogType.values()) {
                if (type.isCategory() && hasMarker(markers, type.configName())) {
                    return types.contains(type) ? FilterReply.NEUTRAL : FilterReply.DENY;
                }
            }
        }
        return levelEnabled(event.getLevel()) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    private boolean levelEnabled(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return types.contains(LogType.ERROR);
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return types.contains(LogType.WARNING);
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return types.contains(LogType.NOTICE) || types.contains(LogType.INFORMATION);
        }
        return types.contains(LogType.DEBUG);
    }

    private static boolean hasMarker(List<Marker> markers, String name) {
        for (Marker marker : markers) {
            if (marker.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
