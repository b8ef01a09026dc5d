package io.culex.bridge.internal;

/** MQTT's rules for topic names and filters (MQTT 4.7), to check bridge topics when a configuration arrives. */
final class TopicSyntax {

    private TopicSyntax() {
    }

    /** @return whether a topic name is valid: not empty, no wildcard, no NUL */
    static boolean isValidTopicName(String topic) {
        if (topic.isEmpty()) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == 0) {
                return false;
            }
        }
        return true;
    }

    /** @return whether a topic filter is valid: {@code +} a whole level, {@code #} a whole last level */
    static boolean isValidFilter(String filter) {
        if (filter.isEmpty()) {
            return false;
        }
        int levelStart = 0;
        for (int i = 0; i <= filter.length(); i++) {
            if (i == filter.length() || filter.charAt(i) == '/') {
                String level = filter.substring(levelStart, i);
                boolean wildcardInside = level.length() > 1 && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0);
                if (wildcardInside || (level.equals("#") && i != filter.length())) {
                    return false;
                }
                levelStart = i + 1;
            } else if (filter.charAt(i) == 0) {
                return false;
            }
        }
        return true;
    }
}
