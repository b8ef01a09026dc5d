package io.culex.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.felix.webconsole.spi.SecurityProvider;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * HTTP Basic authentication against the configured credential, as the Web Console's {@link SecurityProvider}. Basic
 * rather than a login form because it also serves scripts ({@code curl -u}), and the browser keeps the credential.
 */
final class BasicAuthentication implements SecurityProvider {

    static final String REALM = "Culex";
    private static final String BASIC = "Basic ";

    private final ConsoleAccess access;

    BasicAuthentication(ConsoleAccess access) {
        this.access = access;
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String user = authenticatedUser(request.getHeader("Authorization"));
        if (user != null) {
            return user;
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        try {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        } catch (IOException clientGone) {
            // nothing to tell anyone
        }
        return null;
    }

    /** @return the user name if the header carries the configured credential, else null */
    String authenticatedUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = indexOf(decoded, (byte) ':');
        if (colon < 0) {
            return null;
        }
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = java.util.Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        return access.accepts(user, password) ? user : null;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return true; // one administrator, who may do everything
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // Basic authentication has no session to end: the browser forgets the credential when it is closed
    }
}
