package io.culex.dynsec.internal.model;

import java.security.SecureRandom;

import io.culex.passwordhash.Pbkdf2Sha512;

/**
 * A client's password as Mosquitto's dynamic security plugin keeps it: PBKDF2-HMAC-SHA512 with a 12-byte salt and a
 * 64-byte hash. Immutable; the arrays are never handed out unless copied.
 */
public final class Password {

    /** Mosquitto's {@code PW_DEFAULT_ITERATIONS}. */
    public static final int DEFAULT_ITERATIONS = 101;
    public static final int SALT_LENGTH = 12;
    public static final int HASH_LENGTH = Pbkdf2Sha512.HASH_LENGTH;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] hash;
    private final byte[] salt;
    private final int iterations;

    /**
     * @throws IllegalArgumentException unless the salt is 12 bytes, the hash 64 bytes and iterations positive
     */
    public Password(byte[] hash, byte[] salt, int iterations) {
        if (hash.length != HASH_LENGTH || salt.length != SALT_LENGTH || iterations < 1) {
            throw new IllegalArgumentException("not a dynamic security password hash");
        }
        this.hash = hash.clone();
        this.salt = salt.clone();
        this.iterations = iterations;
    }

    /** @return a new hash of the password with a fresh salt and the default iteration count */
    public static Password hash(byte[] password) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return new Password(Pbkdf2Sha512.derive(password, salt, DEFAULT_ITERATIONS), salt, DEFAULT_ITERATIONS);
    }

    /** @return whether the password matches; the comparison takes the same time wherever the hashes differ */
    public boolean matches(byte[] password) {
        return Pbkdf2Sha512.equalsConstantTime(hash, Pbkdf2Sha512.derive(password, salt, iterations));
    }

    public byte[] hashBytes() {
        return hash.clone();
    }

    public byte[] saltBytes() {
        return salt.clone();
    }

    public int iterations() {
        return iterations;
    }
}
