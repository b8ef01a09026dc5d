package io.culex.passwordhash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The derivation against outputs of other implementations: a line written by Mosquitto 2.0's mosquitto_passwd, and
 * Python's {@code hashlib.pbkdf2_hmac("sha512", ...)} (OpenSSL) for the edge cases of the HMAC key.
 */
class Pbkdf2Sha512Test {

    private static byte[] base64(String s) {
        return Base64.getDecoder().decode(s);
    }

    /** {@code mosquitto_passwd -c -b pw alice sécret}: a non-ASCII password, hashed as its UTF-8 bytes. */
    @Test
    void matchesALineWrittenByMosquittoPasswd() {
        String line = "alice:$7$101$lU8pOdzh8tbGvSmy$5t6k2x6mcFNb2rCp+dcSmXEEYFTDy4cX/kuAKNat7S7sJu1/sGLwkVP60h1k1GaQ4gLHJ7rResCcRISiq9CxJg==";
        String[] fields = line.substring(line.indexOf(':') + 1).split("\\$");
        byte[] derived = Pbkdf2Sha512.derive("sécret".getBytes(StandardCharsets.UTF_8), base64(fields[3]),
                Integer.parseInt(fields[2]));
        assertArrayEquals(base64(fields[4]), derived);
        assertEquals(Pbkdf2Sha512.HASH_LENGTH, derived.length);
    }

    /**
     * An empty password (an HMAC key SecretKeySpec refuses), bytes that are not UTF-8, and a key longer than
     * SHA-512's 128-byte block (which HMAC hashes first).
     */
    @ParameterizedTest(name = "{3}")
    @CsvSource({
            "'',                     c2FsdA==,  1, empty password, AO9Czb/JjSnbIJdmCORVVn/d3xQfbrA7WoWt3SWXT10jdb1QgrgD6PTPqIrhvSUlb8vd0jGGdlZv8nl3kjAq7g==",
            "//4AYmluYXJ5,           TmFDbA==,  2, binary password, 5otyMjMnOn6BUZDPQa9Qexaxl/xXinz3zhye0EfbLcmTvkPQvIVpAA9xVw7kOhHozx4x0UzKFbiyUW2bO1pYLQ==",
    })
    void matchesOpenSsl(String password, String salt, int iterations, String what, String expected) {
        assertArrayEquals(base64(expected), Pbkdf2Sha512.derive(base64(password), base64(salt), iterations), what);
    }

    @Test
    void aKeyLongerThanTheHashBlockMatchesOpenSsl() {
        byte[] password = "p".repeat(200).getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(base64("5U6EW5Bc08KhFBG6BbWZqr1Y/ckSyWv044/YA0r9zblXaBf2xplXNOwqFirjr2IbzblS0998XH4UazsGdkQaAQ=="),
                Pbkdf2Sha512.derive(password, "long key".getBytes(StandardCharsets.US_ASCII), 3));
    }

    @Test
    void iterationsBelowOneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Pbkdf2Sha512.derive(new byte[1], new byte[1], 0));
    }

    @Test
    void equalsConstantTimeComparesContentAndLength() {
        byte[] a = {1, 2, 3};
        assertTrue(Pbkdf2Sha512.equalsConstantTime(a, new byte[] {1, 2, 3}));
        assertFalse(Pbkdf2Sha512.equalsConstantTime(a, new byte[] {1, 2, 4}));
        assertFalse(Pbkdf2Sha512.equalsConstantTime(a, new byte[] {1, 2}));
    }
}
