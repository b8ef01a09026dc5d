package io.culex.auth.file.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hash formats, checked against lines written by mosquitto_passwd 2.0.11. */
class PasswordHashTest {

    /** {@code mosquitto_passwd -b pw alice secret} (default: sha512-pbkdf2, 101 iterations). */
    static final String ALICE_PBKDF2 = "$7$101$zs2iy0BWNtlZkEr0$nIysq1tLx+sKUMvYA3/pw8O6QXmKekzPCXpE6GujqQgd1+LOkm2cjHcaR33"
            + "rPR/YnJI99WrwHSAj69mRAmMSEQ==";
    /** {@code mosquitto_passwd -H sha512 -b pw bob pw2}. */
    static final String BOB_SHA512 = "$6$oAXDUwOJhuk98cq+$aA5d0mxfd2d+XfekO6GWO1EK4hJaXgo2YIwICiLnZQznyTo4ZzpAqSomaHC4o"
            + "BrEBkAUlk8PblG4bx+tx2oCtw==";
    /** {@code mosquitto_passwd -I 5 -b pw u6 p}: stored iterations must be honoured. */
    static final String U6_FIVE_ITERATIONS = "$7$5$NNVq6RsHqBbWUvTx$itmb5kLtC+tr7ijEYpizGtj0X4bgEb3wPWNGiiCzfRYknm9tWRF"
            + "Y3hNrjCHr+xtnj98QnD7DiPq9HODN/bzoHA==";

    @Test
    void pbkdf2HashFromMosquittoPasswd() throws Exception {
        PasswordHash hash = PasswordHash.parse("alice", ALICE_PBKDF2);
        assertEquals(PasswordHash.Algorithm.SHA512_PBKDF2, hash.algorithm());
        assertEquals(101, hash.iterations());
        assertTrue(hash.matches("secret".getBytes(UTF_8)));
        assertFalse(hash.matches("Secret".getBytes(UTF_8)));
        assertFalse(hash.matches(new byte[0]));
    }

    @Test
    void sha512HashFromMosquittoPasswd() throws Exception {
        PasswordHash hash = PasswordHash.parse("bob", BOB_SHA512);
        assertEquals(PasswordHash.Algorithm.SHA512, hash.algorithm());
        assertTrue(hash.matches("pw2".getBytes(UTF_8)));
        assertFalse(hash.matches("pw".getBytes(UTF_8)));
    }

    @Test
    void storedIterationsAreHonoured() throws Exception {
        PasswordHash hash = PasswordHash.parse("u6", U6_FIVE_ITERATIONS);
        assertEquals(5, hash.iterations());
        assertTrue(hash.matches("p".getBytes(UTF_8)));
        // the same salt and hash read as 101 iterations must not match
        assertFalse(PasswordHash.parse("u6", U6_FIVE_ITERATIONS.replace("$7$5$", "$7$101$")).matches("p".getBytes(UTF_8)));
    }

    @Test
    void createdHashesRoundTripThroughTheirText() throws Exception {
        for (PasswordHash.Algorithm algorithm : PasswordHash.Algorithm.values()) {
            PasswordHash created = PasswordHash.create("pässword".getBytes(UTF_8), algorithm, 7, new SecureRandom());
            PasswordHash read = PasswordHash.parse("x", created.encoded());
            assertEquals(created.encoded(), read.encoded());
            assertTrue(read.matches("pässword".getBytes(UTF_8)));
            assertFalse(read.matches("password".getBytes(UTF_8)));
        }
        assertTrue(PasswordHash.create(new byte[0], PasswordHash.Algorithm.SHA512_PBKDF2, 3, new SecureRandom())
                .matches(new byte[0]), "an empty password is a valid HMAC key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "nohash                     | Error: Invalid password hash type for user u, removing entry.",
            "$5$abc$def                 | Error: Invalid password hash type for user u, removing entry.",
            "$7$abc                     | Error: Invalid hash iterations for user u, removing entry.",
            "$7$0$zs2iy0BWNtlZkEr0$AAAA | Error: Invalid hash iterations for user u, removing entry.",
            "$7$101                     | Error: Invalid password hash for user u, removing entry.",
            "$6$@@@$###                 | Error: Unable to decode password salt for user u, removing entry.",
            "$6$AAAA$AAAA               | Error: Unable to decode password salt for user u, removing entry.",
            "$6$oAXDUwOJhuk98cq+        | Error: Invalid password hash for user u, removing entry.",
            "$6$oAXDUwOJhuk98cq+$AAAA   | Error: Unable to decode password for user u, removing entry.",
    })
    void damagedHashesAreRefusedWithMosquittosMessage(String encoded, String message) {
        InvalidHashException e = assertThrows(InvalidHashException.class, () -> PasswordHash.parse("u", encoded));
        assertEquals(message, e.getMessage());
    }
}
