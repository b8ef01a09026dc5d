package io.culex.dynsec.internal.access;

/**
 * The two topic comparisons of Mosquitto's dynamic security plugin: a published topic against an ACL filter
 * ({@code mosquitto_topic_matches_sub}), and a subscription filter against an ACL pattern (the plugin's
 * {@code sub_acl_check}: the ACL must cover every topic the subscription could match).
 */
public final class TopicMatching {

    private TopicMatching() {
    }

    /**
     * @param filter an ACL topic filter
     * @param topic a topic name
     * @return whether the filter matches the topic under MQTT's rules, including that wildcards at the first level
     *     do not match topics starting with {@code $}
     */
    public static boolean matches(String filter, String topic) {
        return io.culex.api.Topics.matches(filter, topic);
    }

    /**
     * @param acl an ACL pattern ({@code subscribePattern}/{@code unsubscribePattern})
     * @param subscription the filter a client subscribes to
     * @return whether the ACL covers the subscription: {@code #} covers everything; a subscription ending in
     *     {@code #} is covered only by an ACL ending in {@code #}; {@code +} in the ACL covers any single level,
     *     including a {@code +} in the subscription; otherwise levels must be equal
     */
    public static boolean covers(String acl, String subscription) {
        if (acl.equals("#")) {
            return true;
        }
        int aclHashAt = hashAt(acl);
        int subHashAt = hashAt(subscription);
        boolean aclHash = aclHashAt >= 0;
        if (subHashAt >= 0 && !aclHash) {
            return false;
        }
        String a = aclHash ? acl.substring(0, aclHashAt) : acl;
        String s = subHashAt >= 0 ? subscription.substring(0, subHashAt) : subscription;
        String[] aclLevels = a.split("/", -1);
        String[] subLevels = s.split("/", -1);
        if (aclLevels.length > subLevels.length) {
            return false;
        } else if (subLevels.length > aclLevels.length && !aclHash) {
            return false;
        }
        for (int i = 0; i < subLevels.length; i++) {
            if (i < aclLevels.length && (aclLevels[i].equals("+") || aclLevels[i].equals(subLevels[i]))) {
                continue;
            }
            if (i >= aclLevels.length && aclHash) {
                continue;
            }
            return false;
        }
        return true;
    }

    /** @return where a final multi-level wildcard ({@code #} or {@code /#}) starts, or -1 if there is none */
    private static int hashAt(String filter) {
        if (filter.equals("#")) {
            return 0;
        }
        return filter.endsWith("/#") ? filter.length() - 2 : -1;
    }

    /** @return whether the filter is valid for an ACL: {@code +} and {@code #} only as whole levels, # last */
    public static boolean isValidFilter(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
        }
        // Mosquitto's limits: 65535 bytes and TOPIC_HIERARCHY_LIMIT (200) separators
        return levels.length <= 201 && filter.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 65535;
    }
}
