package io.culex.core.internal.transport;

import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One DER element (tag, length, content) inside a byte array: just enough ASN.1 to walk a key or a distinguished
 * name, which the JDK decodes only internally.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int OID = 0x06;

    private final byte[] der;
    final int start;
    final int tag;
    final int contentStart;
    final int length;

    Der(byte[] der, int start) throws InvalidKeySpecException {
        if (start + 2 > der.length) {
            throw new InvalidKeySpecException("truncated DER");
        }
        this.der = der;
        this.start = start;
        this.tag = der[start] & 0xFF;
        int first = der[start + 1] & 0xFF;
        int at = start + 2;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7F;
            if (bytes == 0 || bytes > 3 || at + bytes > der.length) {
                throw new InvalidKeySpecException("bad DER length");
            }
            int value = 0;
            for (int i = 0; i < bytes; i++) {
                value = (value << 8) | (der[at++] & 0xFF);
            }
            length = value;
        }
        contentStart = at;
        if (contentStart + length > der.length) {
            throw new InvalidKeySpecException("truncated DER");
        }
    }

    int end() {
        return contentStart + length;
    }

    /** @return the elements inside this constructed one */
    List<Der> children() throws InvalidKeySpecException {
        List<Der> result = new ArrayList<>();
        for (int at = contentStart; at < end(); ) {
            Der child = new Der(der, at);
            result.add(child);
            at = child.end();
        }
        return result;
    }

    byte[] content() {
        return Arrays.copyOfRange(der, contentStart, end());
    }

    /** @return the whole element, header included */
    byte[] encoded() {
        return Arrays.copyOfRange(der, start, end());
    }

    /** @return an OBJECT IDENTIFIER's dotted form */
    String oid() {
        StringBuilder result = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = contentStart; i < end(); i++) {
            value = (value << 7) | (der[i] & 0x7F);
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    int arc = (int) Math.min(value / 40, 2);
                    result.append(arc).append('.').append(value - 40L * arc);
                    first = false;
                } else {
                    result.append('.').append(value);
                }
                value = 0;
            }
        }
        return result.toString();
    }
}
