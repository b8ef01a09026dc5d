package io.culex.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.culex.passwordhash.Pbkdf2Hash;

class ConsoleAccessTest {

    private static final String HASH = Pbkdf2Hash.create("pw".getBytes(StandardCharsets.UTF_8), 101,
            new SecureRandom()).encoded();

    @Test
    void withoutAdminUserOnlyLoopbackGetsTheDefaultCredential() throws Exception {
        ConsoleAccess access = ConsoleAccess.decide("127.0.0.1", "", "");
        assertTrue(access.isDefaultCredential());
        assertTrue(access.accepts("admin", "admin".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ConsoleAccess.decide("::1", "", "").isDefaultCredential());
        ConsoleAccess.Refused refused = assertThrows(ConsoleAccess.Refused.class,
                () -> ConsoleAccess.decide("0.0.0.0", "", ""));
        assertTrue(refused.getMessage().startsWith("Error: the web console is not started: admin_listener binds "
                + "0.0.0.0, which is not a loopback address, and no admin_user is configured."), refused.getMessage());
        assertThrows(ConsoleAccess.Refused.class, () -> ConsoleAccess.decide("192.0.2.1", "", ""));
        assertThrows(ConsoleAccess.Refused.class, () -> ConsoleAccess.decide("", "", ""), "every interface");
    }

    @Test
    void aConfiguredUserWorksOnAnyAddressAndReplacesTheDefault() throws Exception {
        ConsoleAccess access = ConsoleAccess.decide("0.0.0.0", "root", HASH);
        assertFalse(access.isDefaultCredential());
        assertTrue(access.accepts("root", "pw".getBytes(StandardCharsets.UTF_8)));
        assertFalse(access.accepts("root", "wrong".getBytes(StandardCharsets.UTF_8)));
        assertFalse(access.accepts("admin", "admin".getBytes(StandardCharsets.UTF_8)));
        assertFalse(access.accepts("other", "pw".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ConsoleAccess.Refused.class, () -> ConsoleAccess.decide("127.0.0.1", "root", "$7$1$x$y"));
    }

    @Test
    void basicAuthenticationReadsTheHeader() throws Exception {
        BasicAuthentication basic = new BasicAuthentication(ConsoleAccess.decide("127.0.0.1", "root", HASH));
        assertEquals("root", basic.authenticatedUser("Basic " + base64("root:pw")));
        assertEquals("root", basic.authenticatedUser("basic " + base64("root:pw")));
        assertNull(basic.authenticatedUser("Basic " + base64("root:nope")));
        assertNull(basic.authenticatedUser("Basic " + base64("rootpw")));
        assertNull(basic.authenticatedUser("Basic %%%"));
        assertNull(basic.authenticatedUser("Bearer abc"));
        assertNull(basic.authenticatedUser(null));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
