package io.culex.core.internal.routing;

/**
 * A shared subscription filter, {@code $share/<group>/<filter>} (MQTT 5 section 4.8.2; Mosquitto accepts it from
 * MQTT 3.x clients too).
 */
public final class SharedFilter {

    public static final String PREFIX = "$share/";

    private final String group;
    private final String filter;

    private SharedFilter(String group, String filter) {
        this.group = group;
        this.filter = filter;
    }

    /**
     * @return the parts of a {@code $share/} filter, or {@code null} for an ordinary filter; the parts are not
     *     validated here (see {@link #isValid})
     */
    public static SharedFilter parse(String filter) {
        if (!filter.startsWith(PREFIX)) {
            return null;
        }
        int slash = filter.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return new SharedFilter(filter.substring(PREFIX.length()), "");
        }
        return new SharedFilter(filter.substring(PREFIX.length(), slash), filter.substring(slash + 1));
    }

    /** @return whether the group is a non-empty name without wildcards and the filter a valid topic filter */
    public boolean isValid() {
        return !group.isEmpty() && group.indexOf('+') < 0 && group.indexOf('#') < 0
                && Topics.isValidTopicFilter(filter);
    }

    public String group() {
        return group;
    }

    public String filter() {
        return filter;
    }
}
