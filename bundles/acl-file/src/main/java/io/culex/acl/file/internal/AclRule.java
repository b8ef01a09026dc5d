package io.culex.acl.file.internal;

/**
 * One {@code topic} or {@code pattern} line.
 *
 * @param access what the line grants, or {@link Kind#DENY}
 * @param filter the topic filter as written ({@code %c}/{@code %u} not yet substituted for patterns)
 * @param line the line number, for diagnostics
 */
record AclRule(Kind access, String filter, int line) {

    /** The access word of the line; no word means {@link #READWRITE}. */
    enum Kind {
        READ, WRITE, READWRITE, DENY;

        boolean grantsRead() {
            return this == READ || this == READWRITE;
        }

        boolean grantsWrite() {
            return this == WRITE || this == READWRITE;
        }
    }

    /** @return whether a pattern uses {@code %u} as a whole level (such a pattern never applies without a user name) */
    boolean usesUsername() {
        for (String level : TopicFilters.levels(filter)) {
            if (level.equals("%u")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Substitutes {@code %c} and {@code %u} where they are a whole level; elsewhere they are literal text, as
     * Mosquitto's documentation requires ("the only text for that level").
     */
    String substitute(String clientId, String username) {
        String[] levels = TopicFilters.levels(filter);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("%c")) {
                levels[i] = clientId;
            } else if (levels[i].equals("%u")) {
                levels[i] = username;
            }
        }
        return String.join("/", levels);
    }
}
