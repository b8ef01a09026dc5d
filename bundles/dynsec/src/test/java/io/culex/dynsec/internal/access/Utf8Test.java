package io.culex.dynsec.internal.access;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void acceptsWhatMosquittoAccepts() {
        assertTrue(Utf8.isValid("alice"));
        assertTrue(Utf8.isValid("ba℞"));
        assertTrue(Utf8.isValid("😀"));
        assertTrue(Utf8.isValid(""));
    }

    @Test
    void refusesControlCharactersSurrogatesAndNoncharacters() {
        assertFalse(Utf8.isValid("a\u0001b"));
        assertFalse(Utf8.isValid("a\u0000"));
        assertFalse(Utf8.isValid("a\u0085"));
        assertFalse(Utf8.isValid("\ud800"));
        assertFalse(Utf8.isValid("\ufdd0"));
        assertFalse(Utf8.isValid("\uffff"));
    }
}
