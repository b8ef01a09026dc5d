package io.culex.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SameOriginFilterTest {

    @Test
    void theConsolesOwnOriginOrRefererPasses() {
        assertTrue(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", "http://127.0.0.1:8081", null));
        assertTrue(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", null,
                "http://127.0.0.1:8081/system/console/bundles"));
        assertTrue(SameOriginFilter.isSameOrigin("http", "Console.Example:80", "http://console.example:80", null));
    }

    @Test
    void anotherSiteOrNoEvidenceIsRefused() {
        assertFalse(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", "http://attacker.example", null));
        assertFalse(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", null, null));
        assertFalse(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", "null", null), "sandboxed page");
        assertFalse(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", null,
                "http://127.0.0.1:8081.attacker.example/"));
        assertFalse(SameOriginFilter.isSameOrigin("http", "127.0.0.1:8081", "http://attacker.example",
                "http://127.0.0.1:8081/"), "the Origin decides when there is one");
        assertFalse(SameOriginFilter.isSameOrigin("http", null, "http://127.0.0.1:8081", null), "no Host");
    }
}
