package io.culex.sample.messagetimestamp;

/**
 * An MQTT topic filter ({@code sensors/+/temp}, {@code #}) matched against topic names, with MQTT's rule that
 * {@code $}-topics ({@code $SYS/...}) are not matched by a wildcard in the first level.
 */
final class TopicFilter {

    private final String[] levels;
    private final String text;

    TopicFilter(String filter) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("empty topic filter");
        }
        this.text = filter;
        this.levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            boolean wildcard = level.equals("+") || level.equals("#");
            if (!wildcard && (level.contains("+") || level.contains("#"))
                    || level.equals("#") && i != levels.length - 1) {
                throw new IllegalArgumentException("invalid topic filter '" + filter + "'");
            }
        }
    }

    boolean matches(String topic) {
        if (topic.startsWith("$") && (levels[0].equals("+") || levels[0].equals("#"))) {
            return false;
        }
        String[] parts = topic.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("#")) {
                return true; // also matches the parent level itself: "a/#" matches "a"
            }
            if (i >= parts.length) {
                return false;
            }
            if (!levels[i].equals("+") && !levels[i].equals(parts[i])) {
                return false;
            }
        }
        return parts.length == levels.length;
    }

    @Override
    public String toString() {
        return text;
    }
}
