package io.culex.core.internal.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The MQTT string check agrees with the JDK's strict UTF-8 decoder (plus the rule against U+0000). */
class Utf8StringsTest {

    @Test
    void agreesWithTheJdkDecoderOnEveryTwoByteSequenceAndRandomLongerOnes() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                check(new byte[] {(byte) a, (byte) b});
            }
        }
        Random random = new Random(18);
        // bytes drawn mostly from the ranges where UTF-8's edge cases are (leads, continuations, ASCII)
        int[] interesting = {0x00, 0x01, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int i = 0; i < 300_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256)
                        : interesting[random.nextInt(interesting.length)]);
            }
            check(bytes);
        }
    }

    private static void check(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(concat(new byte[] {'x'}, bytes));
        assertEquals(jdkSays(bytes), Utf8Strings.isWellFormed(buf, 1, bytes.length), HexFormat.of().formatHex(bytes));
    }

    private static boolean jdkSays(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.indexOf('\u0000') < 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
