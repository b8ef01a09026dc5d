package io.culex.sample.authbyip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.culex.api.AuthenticationRequest;
import io.culex.api.Decision;
import io.culex.api.ProtocolVersion;

class IpRangeAuthenticatorTest {

    @Test
    void allowsInsideARangeAndDeniesOutside() {
        IpRangeAuthenticator authenticator = configured("10.0.0.0/8, 192.168.1.7");
        assertEquals(Decision.ALLOW, decide(authenticator, "10.200.3.4"));
        assertEquals(Decision.ALLOW, decide(authenticator, "192.168.1.7"));
        assertEquals(Decision.DENY, decide(authenticator, "192.168.1.8"));
        assertEquals(Decision.DENY, decide(authenticator, "11.0.0.1"));
    }

    @Test
    void defaultAllowsLoopbackOnly() {
        IpRangeAuthenticator authenticator = configured(new IpRangeAuthenticator.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return IpRangeAuthenticator.Config.class;
            }

            @Override
            public String ranges() {
                return "127.0.0.0/8,::1";
            }
        });
        assertEquals(Decision.ALLOW, decide(authenticator, "127.0.0.1"));
        assertEquals(Decision.ALLOW, decide(authenticator, "::1"));
        assertEquals(Decision.DENY, decide(authenticator, "8.8.8.8"));
    }

    @Test
    void clientsWithoutIpAddressAreLeftToTheChain() {
        IpRangeAuthenticator authenticator = configured("0.0.0.0/0");
        assertEquals(Decision.DEFER, authenticator.authenticate(request(new SocketAddress() {
        })).toCompletableFuture().join());
    }

    @Test
    void prefixesAreBitExact() {
        AddressRange range = AddressRange.parse("172.16.0.0/12");
        assertTrue(range.contains(address("172.31.255.255")));
        assertFalse(range.contains(address("172.32.0.0")));
        assertFalse(range.contains(address("::1")), "an IPv4 range never matches an IPv6 address");
        assertTrue(AddressRange.parse("fd00::/8").contains(address("fd12::1")));
    }

    @Test
    void badRangesAreRefusedWithTheirText() {
        assertEquals("not an IP address in address range 'localhost'",
                assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("localhost")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/x"));
    }

    private static IpRangeAuthenticator configured(String ranges) {
        return configured(new IpRangeAuthenticator.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return IpRangeAuthenticator.Config.class;
            }

            @Override
            public String ranges() {
                return ranges;
            }
        });
    }

    private static IpRangeAuthenticator configured(IpRangeAuthenticator.Config config) {
        IpRangeAuthenticator authenticator = new IpRangeAuthenticator();
        authenticator.configure(config);
        return authenticator;
    }

    private static Decision decide(IpRangeAuthenticator authenticator, String ip) {
        return authenticator.authenticate(request(new InetSocketAddress(address(ip), 40000)))
                .toCompletableFuture().join();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static AuthenticationRequest request(SocketAddress remote) {
        return new AuthenticationRequest() {
            @Override
            public byte[] password() {
                return null;
            }

            @Override
            public String clientId() {
                return "client";
            }

            @Override
            public String username() {
                return null;
            }

            @Override
            public SocketAddress remoteAddress() {
                return remote;
            }

            @Override
            public int listenerPort() {
                return 1883;
            }

            @Override
            public ProtocolVersion protocolVersion() {
                return ProtocolVersion.values()[0];
            }

            @Override
            public boolean isBridge() {
                return false;
            }

            @Override
            public List<X509Certificate> peerCertificates() {
                return List.of();
            }
        };
    }
}
