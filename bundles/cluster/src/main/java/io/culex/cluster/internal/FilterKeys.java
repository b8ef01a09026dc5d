package io.culex.cluster.internal;

/**
 * Keys of the replicated filter index: the member id and the filter, separated by U+0000, which MQTT forbids in
 * topic filters, so every pair has exactly one key.
 */
final class FilterKeys {

    private static final char SEPARATOR = '\u0000';

    private FilterKeys() {
    }

    static String key(String member, String filter) {
        return member + SEPARATOR + filter;
    }

    static String member(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    static String filter(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    static boolean isOf(String key, String member) {
        return key.length() > member.length() && key.startsWith(member) && key.charAt(member.length()) == SEPARATOR;
    }
}
