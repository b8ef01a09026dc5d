package io.culex.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class ClientsCommandTest {

    @Test
    void addressesReadAsMosquittoLogsThem() throws Exception {
        assertEquals("127.0.0.1:50000",
                ClientsCommand.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50000)));
        assertEquals("[0:0:0:0:0:0:0:1]:1883",
                ClientsCommand.address(new InetSocketAddress(InetAddress.getByName("::1"), 1883)));
        assertEquals(null, ClientsCommand.address(null));
    }
}
