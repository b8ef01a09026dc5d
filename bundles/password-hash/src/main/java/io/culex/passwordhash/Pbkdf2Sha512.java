package io.culex.passwordhash;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 (RFC 8018) with HMAC-SHA512 and a 64-byte output, which is exactly one block: the hash of Mosquitto's
 * {@code $7$} password file lines and of {@code dynamic-security.json} passwords. Written out rather than taken from
 * {@code SecretKeyFactory("PBKDF2WithHmacSHA512")} because that takes the password as {@code char[]} and encodes it
 * itself, while MQTT passwords are arbitrary bytes.
 */
public final class Pbkdf2Sha512 {

    /** The length of the derived key in bytes (one SHA-512 block). */
    public static final int HASH_LENGTH = 64;

    private Pbkdf2Sha512() {
    }

    /**
     * @param password the password bytes
     * @param salt the salt
     * @param iterations the iteration count, at least 1
     * @return the 64-byte derived key
     * @throws IllegalArgumentException if {@code iterations} is less than 1
     */
    public static byte[] derive(byte[] password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // SecretKeySpec refuses an empty key. HMAC pads a short key with zero bytes to the block size, so the
            // one-byte key {0} is the same HMAC key as the empty one.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every Java runtime", e);
        }
    }

    /**
     * Compare two hashes in time that depends only on their length, not on where they differ.
     *
     * @param a one hash
     * @param b the other
     * @return whether they are equal
     */
    public static boolean equalsConstantTime(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
