package io.culex.bridge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.culex.api.Topics;

/**
 * One {@code topic <pattern> [[[out|in|both] qos] local-prefix remote-prefix]} line of a bridge, with Mosquitto's
 * meaning: the local topic filter is {@code local-prefix + pattern}, the remote one {@code remote-prefix + pattern},
 * and a message crossing the bridge has the one prefix replaced by the other. {@code ""} stands for an empty field;
 * with an empty pattern the prefixes are whole topics.
 */
record TopicMapping(String pattern, Direction direction, int qos, String localPrefix, String remotePrefix) {

    private static final String EMPTY = "\"\"";

    TopicMapping {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("Invalid bridge QoS level '" + qos + "'");
        }
        if (pattern.isEmpty() && (localPrefix.isEmpty() || remotePrefix.isEmpty())) {
            throw new IllegalArgumentException("Invalid bridge remapping");
        }
        if (!localPrefix.isEmpty() && !TopicSyntax.isValidTopicName(localPrefix)) {
            throw new IllegalArgumentException("Invalid bridge topic local prefix '" + localPrefix + "'");
        }
        if (!remotePrefix.isEmpty() && !TopicSyntax.isValidTopicName(remotePrefix)) {
            throw new IllegalArgumentException("Invalid bridge topic remote prefix '" + remotePrefix + "'");
        }
        if (!pattern.isEmpty() && !TopicSyntax.isValidFilter(localPrefix + pattern)) {
            throw new IllegalArgumentException("Invalid bridge topic pattern '" + pattern + "'");
        }
    }

    /**
     * Parses the text after {@code topic}, as culex.conf writes it and as an administrator may type it into a
     * configuration: fields separated by spaces, {@code ""} for an empty one, missing fields defaulted as Mosquitto
     * does ({@code out}, QoS 0, no prefixes).
     */
    static TopicMapping parse(String line) {
        List<String> fields = new ArrayList<>();
        for (String token : line.trim().split(" +")) {
            if (!token.isEmpty()) {
                fields.add(token);
            }
        }
        if (fields.isEmpty() || fields.size() > 5) {
            throw new IllegalArgumentException("Invalid bridge topic '" + line + "'");
        }
        String pattern = field(fields, 0);
        Direction direction = Direction.OUT;
        if (fields.size() > 1) {
            try {
                direction = Direction.valueOf(fields.get(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid bridge topic direction '" + fields.get(1) + "'");
            }
        }
        int qos = 0;
        if (fields.size() > 2) {
            try {
                qos = Integer.parseInt(fields.get(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid bridge QoS level '" + fields.get(2) + "'");
            }
        }
        return new TopicMapping(pattern, direction, qos, field(fields, 3), field(fields, 4));
    }

    private static String field(List<String> fields, int index) {
        if (index >= fields.size()) {
            return "";
        }
        String value = fields.get(index);
        return value.equals(EMPTY) ? "" : value;
    }

    /** @return the filter the bridge subscribes to in the local broker (for {@code out} and {@code both}) */
    String localFilter() {
        return localPrefix + pattern;
    }

    /** @return the filter the bridge subscribes to on the remote broker (for {@code in} and {@code both}) */
    String remoteFilter() {
        return remotePrefix + pattern;
    }

    /** @return the remote topic of a local message this mapping's local filter matched */
    String toRemote(String localTopic) {
        return remotePrefix + localTopic.substring(Math.min(localPrefix.length(), localTopic.length()));
    }

    /** @return whether a message from the remote broker on this topic belongs to this mapping */
    boolean matchesRemote(String remoteTopic) {
        return direction.incoming() && Topics.matches(remoteFilter(), remoteTopic);
    }

    /** @return the local topic of a remote message this mapping matches */
    String toLocal(String remoteTopic) {
        return localPrefix + remoteTopic.substring(Math.min(remotePrefix.length(), remoteTopic.length()));
    }

    @Override
    public String toString() {
        return String.join(" ", pattern.isEmpty() ? EMPTY : pattern, direction.name().toLowerCase(Locale.ROOT),
                Integer.toString(qos), localPrefix.isEmpty() ? EMPTY : localPrefix,
                remotePrefix.isEmpty() ? EMPTY : remotePrefix);
    }
}
