package io.culex.webconsole.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MQTT page's anti-CSRF token: an HMAC of the user name under a key made at start, so nothing is stored per
 * session and a token is worthless after a restart. The page carries it and sends it back in the
 * {@value #HEADER} header with every action; another site cannot read the page, so it cannot know it.
 */
final class CsrfTokens {

    static final String HEADER = "X-Culex-Csrf-Token";

    private final byte[] key = new byte[32];

    CsrfTokens(SecureRandom random) {
        random.nextBytes(key);
    }

    String tokenFor(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    boolean isValid(String user, String token) {
        return token != null && MessageDigest.isEqual(tokenFor(user).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }
}
