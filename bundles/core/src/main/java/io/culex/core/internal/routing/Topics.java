package io.culex.core.internal.routing;

/**
 * Validation of topic names and topic filters, with MQTT's and Mosquitto's rules.
 */
public final class Topics {

    /** Topics under this prefix are published by the broker only. */
    public static final String SYS_PREFIX = "$SYS/";
    /** The one {@code $SYS} topic clients may write, as in Mosquitto: a bridge's connection state. */
    private static final String BRIDGE_STATE = "$SYS/broker/connection/+/state";

    /**
     * @return whether clients may not publish to the topic: {@code $SYS/...} is the broker's, except
     *     {@code $SYS/broker/connection/<id>/state}, where bridges report their state (Mosquitto's rule; the ACL
     *     still decides)
     */
    public static boolean isReadOnlyForClients(String topic) {
        return topic.startsWith(SYS_PREFIX) && !io.culex.api.Topics.matches(BRIDGE_STATE, topic);
    }

    /** Topics under this prefix go to their {@code ControlHandler} and are never routed. */
    public static final String CONTROL_PREFIX = "$CONTROL/";

    private static final int MAX_TOPIC_BYTES = 65535;

    private Topics() {
    }

    /**
     * @param topic a topic name from a PUBLISH, a will or the Broker API
     * @return whether it may be published to: not empty, no wildcards, valid text
     */
    public static boolean isValidTopicName(String topic) {
        if (topic.isEmpty() || topic.length() > MAX_TOPIC_BYTES) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                return false;
            }
        }
        return isValidText(topic);
    }

    /**
     * @param filter a filter to subscribe with: a topic filter, or {@code $share/<group>/<filter>}
     * @return whether it is well formed (see {@link #isValidTopicFilter} and {@link SharedFilter#isValid})
     */
    public static boolean isValidSubscriptionFilter(String filter) {
        SharedFilter shared = SharedFilter.parse(filter);
        return shared != null ? shared.isValid() : isValidTopicFilter(filter);
    }

    /**
     * @param filter a topic filter from a SUBSCRIBE or UNSUBSCRIBE
     * @return whether it is well formed: not empty, {@code #} only as the whole last level, {@code +} only as a whole
     *     level, valid text
     */
    public static boolean isValidTopicFilter(String filter) {
        int length = filter.length();
        if (length == 0 || length > MAX_TOPIC_BYTES) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = filter.charAt(i);
            if (c == '+' || c == '#') {
                boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
                boolean levelEnd = i == length - 1 || filter.charAt(i + 1) == '/';
                if (!levelStart || !levelEnd) {
                    return false;
                }
                if (c == '#' && i != length - 1) {
                    return false;
                }
            }
        }
        return isValidText(filter);
    }

    /**
     * Mosquitto's rule for UTF-8 strings, applied after decoding: no U+0000, no control characters (U+0001..U+001F,
     * U+007F..U+009F), no non-characters. Malformed byte sequences were already rejected by the strict decoder.
     *
     * @param text a decoded string
     * @return whether Mosquitto would accept it
     */
    public static boolean isValidText(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
                return false;
            }
            if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
                return false;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                return false; // a lone surrogate cannot come from valid UTF-8
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * @param topic a topic name
     * @return whether it begins with {@code $}: such topics are not matched by a wildcard at the first level
     */
    public static boolean isDollarTopic(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }
}
