package io.culex.webconsole.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import io.culex.passwordhash.Pbkdf2Hash;

/**
 * The one credential that opens the console. Without {@code admin_user} the Web Console's customary admin/admin
 * applies, but only while the admin listener is bound to a loopback address: nobody on another host may reach a
 * console with a well-known password.
 */
final class ConsoleAccess {

    static final String DEFAULT_USER = "admin";

    private final String username;
    private final Pbkdf2Hash password;
    private final boolean defaultCredential;

    private ConsoleAccess(String username, Pbkdf2Hash password, boolean defaultCredential) {
        this.username = username;
        this.password = password;
        this.defaultCredential = defaultCredential;
    }

    /** The console may not start: the message says why and what to do. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /**
     * @param bindAddress the admin listener's address
     * @param user {@code admin_user}'s name, empty if none
     * @param passwordHash its {@code $7$} hash, empty if none
     * @throws Refused when the address is not loopback and no credential is configured, or the hash is damaged
     */
    static ConsoleAccess decide(String bindAddress, String user, String passwordHash) throws Refused {
        if (user.isEmpty()) {
            if (!isLoopback(bindAddress)) {
                throw new Refused("Error: the web console is not started: admin_listener binds " + bindAddress
                        + ", which is not a loopback address, and no admin_user is configured. Add "
                        + "\"admin_user <name> <$7$ hash>\" (culex-passwd makes the hash) or bind the admin listener "
                        + "to 127.0.0.1.");
            }
            byte[] admin = DEFAULT_USER.getBytes(StandardCharsets.UTF_8);
            return new ConsoleAccess(DEFAULT_USER, Pbkdf2Hash.create(admin, 1, new SecureRandom()), true);
        }
        try {
            return new ConsoleAccess(user, Pbkdf2Hash.parse(passwordHash), false);
        } catch (IllegalArgumentException e) {
            throw new Refused("Error: the web console is not started: the admin_user password hash is invalid ("
                    + e.getMessage() + ").");
        }
    }

    /** Every address the name stands for is a loopback address (a name that does not resolve is not). */
    static boolean isLoopback(String address) {
        if (address.isBlank()) {
            return false; // InetAddress would read "" as localhost, while Jetty reads it as every interface
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(address);
            return all.length > 0 && Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    boolean accepts(String user, byte[] password) {
        // hash even for a wrong name, so that the answer takes as long either way
        boolean passwordMatches = this.password.matches(password);
        return passwordMatches && username.equals(user);
    }

    boolean isDefaultCredential() {
        return defaultCredential;
    }

    String username() {
        return username;
    }
}
