package io.culex.sample.authbyip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One CIDR block ({@code 192.168.0.0/16}, {@code fd00::/8}) or a single address ({@code 10.1.2.3}, a /32 or /128).
 * Compares raw address bytes, so an IPv4 range never matches an IPv6 client (write {@code ::ffff:a.b.c.d/120}
 * for IPv4-mapped clients if a listener needs it).
 */
final class AddressRange {

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /**
     * @param text {@code address[/prefix]}; the address must be a literal (never a host name: no DNS lookup on the
     *     configuration path)
     * @throws IllegalArgumentException with a message naming the bad text
     */
    static AddressRange parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address, text);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in address range '" + text + "'");
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length out of range in address range '" + text + "'");
            }
        }
        return new AddressRange(bytes, prefix, trimmed);
    }

    /** Parses an IP literal without ever resolving a name: InetAddress.getByName would do DNS for "localhost". */
    private static byte[] literal(String address, String text) {
        boolean looksLikeIp = !address.isEmpty()
                && (address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!looksLikeIp) {
            throw new IllegalArgumentException("not an IP address in address range '" + text + "'");
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address in address range '" + text + "'");
        }
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = (0xFF << (8 - remainingBits)) & 0xFF;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
