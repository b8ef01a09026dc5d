package io.culex.core.internal.validation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.culex.core.internal.testing.RawClient;

/** Raw MQTT bytes for tests that must send what no client library would: field by field, nothing checked. */
final class Wire {

    private Wire() {
    }

    static byte[] packet(int firstByte, byte[]... parts) {
        return RawClient.packet(firstByte, concat(parts));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] u16(int value) {
        return bytes(value >> 8, value);
    }

    static byte[] u32(long value) {
        return bytes((int) (value >> 24), (int) (value >> 16), (int) (value >> 8), (int) value);
    }

    static byte[] vbi(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    static byte[] str(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed field with exactly these bytes (a string that need not be UTF-8, or binary data). */
    static byte[] raw(byte[] content) {
        return concat(u16(content.length), content);
    }

    static byte[] props(byte[]... properties) {
        byte[] all = concat(properties);
        return concat(vbi(all.length), all);
    }

    static byte[] prop(int id, byte[] value) {
        return concat(vbi(id), value);
    }

    static byte[] connect(int level, int flags, byte[] properties, String clientId, byte[]... rest) {
        String name = level == 3 ? "MQIsdp" : "MQTT";
        return packet(0x10, str(name), bytes(level, flags), u16(60), level == 5 ? properties : new byte[0],
                str(clientId), concat(rest));
    }
}
