package io.culex.core.internal.validation;

import io.netty.buffer.ByteBuf;

/**
 * The MQTT rules for the bytes of a UTF-8 Encoded String [MQTT-1.5.4-1, -2]: well-formed UTF-8 as RFC 3629 defines
 * it (no overlong forms, no surrogates U+D800..U+DFFF, nothing above U+10FFFF) and no U+0000. Control characters
 * are left to the field's own rules (a client id or a topic with them is refused where those are checked).
 */
final class Utf8Strings {

    private Utf8Strings() {
    }

    static boolean isWellFormed(ByteBuf bytes, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            int b = bytes.getByte(i) & 0xFF;
            if (b < 0x80) {
                if (b == 0) {
                    return false;
                }
                i++;
                continue;
            }
            int sequence;
            int secondLow = 0x80;
            int secondHigh = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                sequence = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                sequence = 3;
                if (b == 0xE0) {
                    secondLow = 0xA0; // shorter forms are overlong
                } else if (b == 0xED) {
                    secondHigh = 0x9F; // U+D800..U+DFFF are surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                sequence = 4;
                if (b == 0xF0) {
                    secondLow = 0x90;
                } else if (b == 0xF4) {
                    secondHigh = 0x8F; // above U+10FFFF
                }
            } else {
                return false; // a continuation byte, an overlong lead (C0, C1) or F5..FF
            }
            if (i + sequence > end) {
                return false;
            }
            int second = bytes.getByte(i + 1) & 0xFF;
            if (second < secondLow || second > secondHigh) {
                return false;
            }
            for (int k = 2; k < sequence; k++) {
                int next = bytes.getByte(i + k) & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += sequence;
        }
        return true;
    }
}
