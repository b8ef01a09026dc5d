package io.culex.config.internal;

import static io.culex.config.internal.ConfigContract.HTTP_PID;
import static io.culex.config.internal.ConfigContract.WEBCONSOLE_PID;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import io.culex.passwordhash.Pbkdf2Hash;

/**
 * Culex's own administration options, which turn on the {@code admin} feature (Felix HTTP, the Web Console and
 * {@code /metrics}):
 * <ul>
 * <li>{@code admin_listener <port> [<address>]}: Felix HTTP's configuration ({@code org.apache.felix.http}) and the
 * address the console checks ({@code io.culex.webconsole bind_address}); the address defaults to 127.0.0.1;</li>
 * <li>{@code admin_user <name> <password or $7$ hash>}: the console's credential. A clear password is hashed here,
 * so Config Admin only ever holds the {@code $7$} form.</li>
 * </ul>
 */
final class AdminOptions {

    static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    /** Felix HTTP's property names (its Metatype, PID {@code org.apache.felix.http}). */
    static final String HTTP_PORT = "org.osgi.service.http.port";
    static final String HTTP_HOST = "org.apache.felix.http.host";
    static final String HTTP_ENABLE = "org.apache.felix.http.enable";
    static final String HTTPS_ENABLE = "org.apache.felix.https.enable";
    /** {@code io.culex.webconsole}'s property names. */
    static final String BIND_ADDRESS = "bind_address";
    static final String ADMIN_USER = "admin_user";
    static final String ADMIN_PASSWORD_HASH = "admin_password_hash";

    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminOptions() {
    }

    static void register(OptionRegistry registry) {
        registry.add("admin_listener", AdminOptions::adminListener);
        registry.add("admin_user", AdminOptions::adminUser);
    }

    private static void adminListener(ParseState state, OptionLine line) throws ConfigException {
        PropertyBag http = state.owner(HTTP_PID);
        if (http.has(HTTP_PORT)) {
            throw new ConfigException("Error: Duplicate admin_listener value in configuration.");
        }
        int port = Values.integer(line, "admin_listener");
        if (port < 1 || port > 65535) {
            throw new ConfigException("Error: Invalid admin_listener port value (" + port + ").");
        }
        String address = line.nextToken();
        if (line.nextToken() != null) {
            throw new ConfigException("Error: Too many arguments to admin_listener: use admin_listener <port> "
                    + "[<bind address>].");
        }
        address = address == null ? DEFAULT_BIND_ADDRESS : address;
        http.put(HTTP_PORT, port);
        http.put(HTTP_HOST, address);
        http.put(HTTP_ENABLE, true);
        http.put(HTTPS_ENABLE, false);
        state.owner(WEBCONSOLE_PID).put(BIND_ADDRESS, address);
    }

    private static void adminUser(ParseState state, OptionLine line) throws ConfigException {
        PropertyBag console = state.owner(WEBCONSOLE_PID);
        if (console.has(ADMIN_USER)) {
            throw new ConfigException("Error: Duplicate admin_user value in configuration.");
        }
        String name = Values.token(line, "admin_user");
        String secret = line.remainder();
        if (secret == null || secret.strip().isEmpty()) {
            throw new ConfigException("Error: admin_user needs a password: use admin_user <name> <password or $7$ "
                    + "hash>.");
        }
        secret = secret.strip();
        String hash;
        if (Pbkdf2Hash.looksLikeHash(secret)) {
            try {
                hash = Pbkdf2Hash.parse(secret).encoded();
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Error: Invalid admin_user password hash: " + e.getMessage() + ".");
            }
        } else {
            state.report(Diagnostic.notice("Note: the admin_user password is written in clear text ("
                    + line.location() + "); culex-passwd can make a $7$ hash to write there instead"));
            hash = Pbkdf2Hash.create(secret.getBytes(StandardCharsets.UTF_8), Pbkdf2Hash.DEFAULT_ITERATIONS, RANDOM)
                    .encoded();
        }
        console.put(ADMIN_USER, name);
        console.put(ADMIN_PASSWORD_HASH, hash);
    }
}
