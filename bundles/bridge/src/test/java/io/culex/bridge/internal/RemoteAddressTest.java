package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RemoteAddressTest {

    @Test
    void hostAndPortAsMosquittoWritesThem() {
        assertEquals(new RemoteAddress("broker.example.com", 8883), RemoteAddress.parse("broker.example.com:8883"));
        assertEquals(new RemoteAddress("broker.example.com", 1883), RemoteAddress.parse("broker.example.com"));
        assertEquals(new RemoteAddress("::1", 1884), RemoteAddress.parse("[::1]:1884"));
        assertEquals("[::1]:1884", RemoteAddress.parse("[::1]:1884").toString());
    }

    @Test
    void badPortsAreRefused() {
        assertEquals("Invalid port value (70000)",
                assertThrows(IllegalArgumentException.class, () -> RemoteAddress.parse("h:70000")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RemoteAddress.parse("h:x"));
    }
}
