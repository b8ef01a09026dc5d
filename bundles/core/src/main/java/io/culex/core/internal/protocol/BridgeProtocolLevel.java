package io.culex.core.internal.protocol;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;

/**
 * Mosquitto's {@code try_private}: an MQTT 3.1/3.1.1 bridge sets the high bit of its CONNECT's protocol level
 * (0x83, 0x84), which Netty's decoder would refuse as an unknown version. This handler sits before the decoder for
 * the first packet only: it clears the bit, marks the channel as a bridge's ({@link #BRIDGE}) and leaves the
 * pipeline. Anything else (another first packet, MQTT 5, a malformed header) passes on unchanged for the decoder to
 * judge.
 */
public final class BridgeProtocolLevel extends ByteToMessageDecoder {

    /** Set on a channel whose CONNECT carried the bridge bit. */
    public static final AttributeKey<Boolean> BRIDGE = AttributeKey.valueOf("culex.bridge");
    private static final int BRIDGE_BIT = 0x80;
    /** "MQIsdp", the longest protocol name of the versions that use the bit. */
    private static final int LONGEST_NAME = 6;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if ((in.getUnsignedByte(start) & 0xF0) != 0x10) {
            passOn(ctx, in, out); // not a CONNECT: the connection handles that
            return;
        }
        int position = start + 1;
        for (int digits = 0; ; digits++) {
            if (position >= in.writerIndex()) {
                return; // more bytes to come
            }
            if ((in.getUnsignedByte(position++) & 0x80) == 0) {
                break;
            }
            if (digits == 3) {
                passOn(ctx, in, out); // a malformed length: for the decoder to report
                return;
            }
        }
        if (position + 2 > in.writerIndex()) {
            return;
        }
        int nameLength = in.getUnsignedShort(position);
        int levelAt = position + 2 + nameLength;
        if (nameLength > LONGEST_NAME) {
            passOn(ctx, in, out);
            return;
        }
        if (levelAt >= in.writerIndex()) {
            return;
        }
        int level = in.getUnsignedByte(levelAt);
        if ((level & BRIDGE_BIT) != 0 && ((level & ~BRIDGE_BIT) == 3 || (level & ~BRIDGE_BIT) == 4)) {
            in.setByte(levelAt, level & ~BRIDGE_BIT);
            ctx.channel().attr(BRIDGE).set(Boolean.TRUE);
        }
        passOn(ctx, in, out);
    }

    private void passOn(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        out.add(in.readRetainedSlice(in.readableBytes()));
        ctx.pipeline().remove(this);
    }
}
