package io.culex.passwordhash;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A password stored as Mosquitto 2.0's {@code $7$<iterations>$<base64 salt>$<base64 hash>}, the form
 * {@code mosquitto_passwd} and {@code culex-passwd} write: PBKDF2-HMAC-SHA512, 12-byte salt, 64-byte hash. Used
 * where one credential is configured by a line rather than read from a password file (the web console's
 * {@code admin_user}), so that the clear password is never kept. Immutable.
 */
public final class Pbkdf2Hash {

    /** Mosquitto 2.0's {@code PW_DEFAULT_ITERATIONS}. */
    public static final int DEFAULT_ITERATIONS = 101;
    private static final String PREFIX = "$7$";
    private static final int SALT_LENGTH = 12;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private Pbkdf2Hash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** @return whether the text claims to be a {@code $7$} hash (it may still be malformed) */
    public static boolean looksLikeHash(String text) {
        return text.startsWith(PREFIX);
    }

    /**
     * @param encoded {@code $7$<iterations>$<salt>$<hash>}
     * @throws IllegalArgumentException saying which part is wrong
     */
    public static Pbkdf2Hash parse(String encoded) {
        if (!looksLikeHash(encoded)) {
            throw new IllegalArgumentException("not a $7$ hash");
        }
        String[] fields = encoded.substring(PREFIX.length()).split("\\$", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("a $7$ hash has three fields: $7$<iterations>$<salt>$<hash>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(fields[0]);
        } catch (NumberFormatException e) {
            iterations = 0;
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("invalid iteration count " + fields[0]);
        }
        return new Pbkdf2Hash(iterations, decode(fields[1], SALT_LENGTH, "salt"),
                decode(fields[2], Pbkdf2Sha512.HASH_LENGTH, "hash"));
    }

    /** Hashes a password with a fresh random salt. */
    public static Pbkdf2Hash create(byte[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return new Pbkdf2Hash(iterations, salt, Pbkdf2Sha512.derive(password, salt, iterations));
    }

    /** @return whether the password has this hash, compared in time independent of where they differ */
    public boolean matches(byte[] password) {
        return Pbkdf2Sha512.equalsConstantTime(hash, Pbkdf2Sha512.derive(password, salt, iterations));
    }

    /** @return the {@code $7$...} text */
    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder();
        return PREFIX + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    private static byte[] decode(String field, int length, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(field.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64");
        }
        if (bytes.length != length) {
            throw new IllegalArgumentException("the " + what + " must be " + length + " bytes, not " + bytes.length);
        }
        return bytes;
    }
}
