package io.culex.auth.file.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import io.culex.passwordhash.Pbkdf2Sha512;

/**
 * One password hash of a Mosquitto password file, in either of Mosquitto's two formats:
 * <ul>
 * <li>{@code $6$<base64 salt>$<base64 hash>}: one SHA-512 over password ‖ salt (Mosquitto 1.6 and earlier);</li>
 * <li>{@code $7$<iterations>$<base64 salt>$<base64 hash>}: PBKDF2-HMAC-SHA512 (Mosquitto 2.0's default).</li>
 * </ul>
 * The salt is 12 bytes and the hash 64 bytes in both, as {@code mosquitto_passwd} writes them and as Mosquitto
 * insists when it reads them. Immutable; the arrays are never handed out.
 */
public final class PasswordHash {

    /** The hash algorithms, named as {@code mosquitto_passwd -H} names them. */
    public enum Algorithm {
        /** {@code $6$}: SHA-512 over password ‖ salt. */
        SHA512("sha512"),
        /** {@code $7$}: PBKDF2 with HMAC-SHA512. */
        SHA512_PBKDF2("sha512-pbkdf2");

        private final String optionName;

        Algorithm(String optionName) {
            this.optionName = optionName;
        }

        /** @return the name {@code -H} takes */
        public String optionName() {
            return optionName;
        }
    }

    /** Mosquitto 2.0's {@code PW_DEFAULT_ITERATIONS}. */
    public static final int DEFAULT_ITERATIONS = 101;
    static final int SALT_LENGTH = 12;
    static final int HASH_LENGTH = 64;

    private final Algorithm algorithm;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(Algorithm algorithm, int iterations, byte[] salt, byte[] hash) {
        this.algorithm = algorithm;
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /**
     * Reads the hash field of a password file line.
     *
     * @param username for the error message, which names the user as Mosquitto does
     * @param encoded the text after the user name's colon
     * @throws InvalidHashException with Mosquitto's message for this kind of damage
     */
    public static PasswordHash parse(String username, String encoded) throws InvalidHashException {
        Algorithm algorithm;
        String rest;
        if (encoded.startsWith("$6$")) {
            algorithm = Algorithm.SHA512;
            rest = encoded.substring(3);
        } else if (encoded.startsWith("$7$")) {
            algorithm = Algorithm.SHA512_PBKDF2;
            rest = encoded.substring(3);
        } else {
            throw new InvalidHashException("Error: Invalid password hash type for user " + username
                    + ", removing entry.");
        }
        // Mosquitto splits with strtok on '$', which skips empty fields; so does this.
        String[] fields = Arrays.stream(rest.split("\\$")).filter(f -> !f.isEmpty()).toArray(String[]::new);
        int index = 0;
        int iterations = 1;
        if (algorithm == Algorithm.SHA512_PBKDF2) {
            iterations = fields.length > index ? parseIterations(fields[index]) : 0;
            index++;
            if (iterations < 1) {
                throw new InvalidHashException("Error: Invalid hash iterations for user " + username
                        + ", removing entry.");
            }
        }
        if (fields.length <= index) {
            throw new InvalidHashException("Error: Invalid password hash for user " + username + ", removing entry.");
        }
        byte[] salt = decode(fields[index++], SALT_LENGTH);
        if (salt == null) {
            throw new InvalidHashException("Error: Unable to decode password salt for user " + username
                    + ", removing entry.");
        }
        if (fields.length <= index) {
            throw new InvalidHashException("Error: Invalid password hash for user " + username + ", removing entry.");
        }
        byte[] hash = decode(fields[index], HASH_LENGTH);
        if (hash == null) {
            throw new InvalidHashException("Error: Unable to decode password for user " + username
                    + ", removing entry.");
        }
        return new PasswordHash(algorithm, iterations, salt, hash);
    }

    /**
     * Hashes a new password with a fresh random salt, as {@code mosquitto_passwd} does.
     *
     * @param iterations PBKDF2 iterations (ignored for {@link Algorithm#SHA512}); must be positive
     */
    public static PasswordHash create(byte[] password, Algorithm algorithm, int iterations, SecureRandom random) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be > 0: " + iterations);
        }
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        int effectiveIterations = algorithm == Algorithm.SHA512 ? 1 : iterations;
        return new PasswordHash(algorithm, effectiveIterations, salt,
                compute(algorithm, effectiveIterations, salt, password));
    }

    /** @return whether {@code password} has this hash; the comparison takes the same time wherever they differ */
    public boolean matches(byte[] password) {
        return MessageDigest.isEqual(hash, compute(algorithm, iterations, salt, password));
    }

    /** @return the text for the password file, after {@code username:} */
    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder();
        String prefix = algorithm == Algorithm.SHA512 ? "$6$" : "$7$" + iterations + "$";
        return prefix + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /** @return the algorithm */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** @return the PBKDF2 iteration count (1 for {@link Algorithm#SHA512}) */
    public int iterations() {
        return iterations;
    }

    private static int parseIterations(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static byte[] decode(String base64, int expectedLength) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
            return bytes.length == expectedLength ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] compute(Algorithm algorithm, int iterations, byte[] salt, byte[] password) {
        try {
            return algorithm == Algorithm.SHA512 ? sha512(salt, password) : Pbkdf2Sha512.derive(password, salt, iterations);
        } catch (GeneralSecurityException e) {
            // SHA-512 and HmacSHA512 are required of every Java platform
            throw new IllegalStateException("SHA-512 is not available", e);
        }
    }

    private static byte[] sha512(byte[] salt, byte[] password) throws GeneralSecurityException {
        MessageDigest digest = MessageDigest.getInstance("SHA-512");
        digest.update(password);
        digest.update(salt);
        return digest.digest();
    }
}
