package io.culex.dynsec.internal.model;

import java.util.Comparator;

/** Name order as Mosquitto sorts user, group and role names: C's {@code strcmp} on UTF-8, i.e. code point order. */
public final class Names {

    /** Code point order, which is the byte order of the UTF-8 encodings. */
    public static final Comparator<String> ORDER = Names::compare;

    private Names() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
