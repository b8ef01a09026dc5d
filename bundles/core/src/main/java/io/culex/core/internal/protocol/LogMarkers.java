package io.culex.core.internal.protocol;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * slf4j markers that put log events in Mosquitto's {@code log_type} categories; the config bundle's log filter
 * shows an event with such a marker only when that type is enabled ({@code connection_messages} for connections).
 */
final class LogMarkers {

    static final Marker CONNECTION = MarkerFactory.getMarker("connection");
    static final Marker SUBSCRIBE = MarkerFactory.getMarker("subscribe");
    static final Marker UNSUBSCRIBE = MarkerFactory.getMarker("unsubscribe");

    private LogMarkers() {
    }
}
