package io.culex.api;

/**
 * MQTT topic matching as the broker does it, for plugins that decide by topic (access rules, interceptors): one
 * implementation instead of one per plugin.
 *
 * @since 1.4
 */
public final class Topics {

    private Topics() {
    }

    /**
     * Mosquitto's {@code mosquitto_topic_matches_sub}: whether a topic filter matches a topic name. Levels are split
     * on {@code /} and may be empty; {@code +} matches one level, {@code #} (last) any number including none, so
     * {@code a/#} matches {@code a}; a topic starting with {@code $} is matched only by a filter whose first level
     * starts with {@code $}, never by a wildcard there (MQTT 4.7.2). A shared filter must have its
     * {@code $share/<group>/} prefix removed first. Does not allocate: it may run for every rule on every message.
     *
     * @param filter a valid topic filter (not checked: an invalid one simply matches what its characters say)
     * @param topic a topic name, without wildcards
     * @return whether the filter matches the topic
     */
    public static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if ((filter.charAt(0) == '$') != (topic.charAt(0) == '$')) {
            return false;
        }
        int f = 0;
        int t = 0;
        int filterLength = filter.length();
        int topicLength = topic.length();
        while (true) {
            int filterEnd = levelEnd(filter, f);
            int levelLength = filterEnd - f;
            if (levelLength == 1 && filter.charAt(f) == '#') {
                return filterEnd == filterLength;
            }
            int topicEnd = levelEnd(topic, t);
            boolean anyLevel = levelLength == 1 && filter.charAt(f) == '+';
            if (!anyLevel && (topicEnd - t != levelLength || !filter.regionMatches(f, topic, t, levelLength))) {
                return false;
            }
            boolean filterDone = filterEnd == filterLength;
            boolean topicDone = topicEnd == topicLength;
            if (filterDone || topicDone) {
                // "a/#" also matches "a": the topic may end where only a final "/#" is left of the filter
                return filterDone == topicDone
                        || (topicDone && filterLength - filterEnd == 2 && filter.charAt(filterEnd + 1) == '#');
            }
            f = filterEnd + 1;
            t = topicEnd + 1;
        }
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}
