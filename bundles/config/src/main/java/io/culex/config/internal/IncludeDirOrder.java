package io.culex.config.internal;

import java.util.Comparator;

/**
 * The order in which Mosquitto loads the files of an {@code include_dir}: "case sensitive alphabetical order, with
 * the upper case of each letter ordered before the lower case of the same letter" (00, 01, A, a, B, b). Character by
 * character, letters compare case-insensitively first and then by case, which is not Java's natural String order
 * (that would put every upper case letter before every lower case one). Settings in later files win, so the order
 * must be the same as Mosquitto's.
 */
final class IncludeDirOrder implements Comparator<String> {

    static final IncludeDirOrder INSTANCE = new IncludeDirOrder();

    private IncludeDirOrder() {
    }

    @Override
    public int compare(String first, String second) {
        int length = Math.min(first.length(), second.length());
        for (int i = 0; i < length; i++) {
            char a = first.charAt(i);
            char b = second.charAt(i);
            int byLetter = Character.toUpperCase(a) - Character.toUpperCase(b);
            if (byLetter != 0) {
                return byLetter;
            }
            if (a != b) {
                return a - b;
            }
        }
        return first.length() - second.length();
    }
}
