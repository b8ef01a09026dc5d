package io.culex.acl.file.internal;

/**
 * MQTT topic and topic-filter arithmetic for ACL checks: Mosquitto's {@code mosquitto_topic_matches_sub}, and the
 * two filter-against-filter relations the SUBSCRIBE rule needs. Levels are split on {@code /}; a level may be
 * empty. As in MQTT, {@code #} also matches its parent level ({@code a/#} matches {@code a}), and a topic starting
 * with {@code $} is matched only by a filter whose first level starts with {@code $} (no wildcard there).
 */
final class TopicFilters {

    private TopicFilters() {
    }

    /** @return whether the filter matches the topic (a topic name, without wildcards): the API's matcher */
    static boolean matches(String filter, String topic) {
        return io.culex.api.Topics.matches(filter, topic);
    }

    /** @return whether some topic is matched by both filters */
    static boolean intersect(String a, String b) {
        if (!dollarCompatible(a, b) || !dollarCompatible(b, a)) {
            return false;
        }
        String[] x = levels(a);
        String[] y = levels(b);
        int i = 0;
        for (; i < x.length && i < y.length; i++) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
        }
        if (x.length == y.length) {
            return true;
        }
        // one is longer: only a trailing '#' (which also matches its parent) lets the shorter one meet it
        String[] longer = x.length > y.length ? x : y;
        return longer.length == i + 1 && longer[i].equals("#");
    }

    /** @return whether every topic {@code inner} matches is also matched by {@code outer} */
    static boolean covers(String outer, String inner) {
        // a wildcard first level matches no '$' topic, so '$'-ness must agree (inner '+/x' is a non-'$' filter)
        if (startsWithDollar(inner) != startsWithDollar(outer)) {
            return false;
        }
        String[] o = levels(outer);
        String[] n = levels(inner);
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true;
            }
            if (i >= n.length) {
                return false;
            }
            if (n[i].equals("#")) {
                return false;
            }
            if (o[i].equals("+")) {
                continue;
            }
            if (n[i].equals("+") || !o[i].equals(n[i])) {
                return false;
            }
        }
        // a longer inner filter matches topics deeper than any outer ones ('a' does not cover 'a/b' or 'a/#')
        return n.length == o.length;
    }

    /** Mosquitto's {@code mosquitto_sub_topic_check}: wildcards only as whole levels, {@code #} only last. */
    static boolean isValidFilter(String filter) {
        if (filter.isEmpty() || filter.length() > 65535) {
            return false;
        }
        String[] l = levels(filter);
        for (int i = 0; i < l.length; i++) {
            String level = l[i];
            if (level.contains("#") && (!level.equals("#") || i != l.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    static String[] levels(String topic) {
        return topic.split("/", -1);
    }

    /**
     * A filter whose first level is a wildcard cannot match a {@code $} topic, so it cannot meet a filter that
     * only matches {@code $} topics.
     */
    private static boolean dollarCompatible(String a, String b) {
        return !(startsWithDollar(a) && isWildcardLevel(firstLevel(b)));
    }

    private static String firstLevel(String filter) {
        int slash = filter.indexOf('/');
        return slash < 0 ? filter : filter.substring(0, slash);
    }

    private static boolean isWildcardLevel(String level) {
        return level.equals("+") || level.equals("#");
    }

    private static boolean startsWithDollar(String topicOrFilter) {
        return topicOrFilter.startsWith("$");
    }
}
