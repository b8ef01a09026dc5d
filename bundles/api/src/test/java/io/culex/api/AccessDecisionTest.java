package io.culex.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class AccessDecisionTest {

    @Test
    void plainDecisionsAreSharedConstantsWithTheDefaultReason() {
        assertSame(AccessDecision.ALLOW, AccessDecision.of(Decision.ALLOW));
        assertSame(AccessDecision.DENY, AccessDecision.of(Decision.DENY));
        assertSame(AccessDecision.DEFER, AccessDecision.of(Decision.DEFER));
        assertEquals(AccessDecision.DEFAULT_REASON, AccessDecision.DENY.reasonCode());
        assertNull(AccessDecision.DENY.reasonString());
    }

    @Test
    void aDenialTakesOnlyFailureReasonCodes() {
        AccessDecision banned = AccessDecision.deny(0x8A, "banned");
        assertEquals(Decision.DENY, banned.decision());
        assertEquals(0x8A, banned.reasonCode());
        assertEquals("banned", banned.reasonString());
        assertThrows(IllegalArgumentException.class, () -> AccessDecision.deny(0x10, null));
        assertThrows(IllegalArgumentException.class, () -> AccessDecision.deny(0x100, null));
    }

    @Test
    void theDefaultChecksWrapThePlainAnswers() throws Exception {
        Authorizer authorizer = (client, access, topic, qos, retain) -> Decision.DENY;
        assertSame(AccessDecision.DENY, authorizer.check(null, Access.PUBLISH, "t", 0, false));
        Authenticator authenticator = request -> CompletableFuture.completedFuture(Decision.DEFER);
        assertSame(AccessDecision.DEFER, authenticator.check(null).toCompletableFuture().get());
    }
}
