package io.culex.dynsec.internal.access;

/**
 * Mosquitto's {@code mosquitto_validate_utf8}, which the plugin applies to names and topics: besides well-formed
 * UTF-8 it refuses control characters (U+0000..U+001F, U+007F..U+009F), surrogates and the Unicode noncharacters.
 * Bytes that were not UTF-8 at all arrive here as U+FFFF (see {@code Json.parse}) and are refused as noncharacters.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** @return whether Mosquitto would accept the string as UTF-8 */
    public static boolean isValid(String value) {
        if (value.length() > 65536) {
            return false;
        }
        for (int i = 0; i < value.length();) {
            int c = value.codePointAt(i);
            if (Character.isSurrogate((char) c) && Character.charCount(c) == 1) {
                return false; // a lone surrogate
            }
            if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                return false;
            }
            if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFF) == 0xFFFE || (c & 0xFFFF) == 0xFFFF) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
