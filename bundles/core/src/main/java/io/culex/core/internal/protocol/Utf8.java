package io.culex.core.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * UTF-8 validity of payloads whose publisher declared them text (MQTT 5 payload format indicator 1).
 */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(ByteBuf bytes) {
        return ByteBufUtil.isText(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
