package io.culex.bridge.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Mosquitto's {@code try_private}: a bridge's CONNECT carries its protocol level with the top bit set (0x83 for
 * MQTT 3.1, 0x84 for 3.1.1), which tells a Mosquitto broker that the client is a bridge, so that it does not send
 * the bridge's own messages back to it and keeps their retain flag. Netty's encoder accepts only the standard
 * levels, so this handler, between the encoder and the socket, sets the bit in the encoded CONNECT (the first
 * packet of the connection) and then leaves the pipeline.
 */
final class TryPrivateMarker extends ChannelOutboundHandlerAdapter {

    private static final int CONNECT = 0x10;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf encoded && encoded.readableBytes() > 0
                && (encoded.getUnsignedByte(encoded.readerIndex()) & 0xF0) == CONNECT) {
            int index = protocolLevelIndex(encoded);
            encoded.setByte(index, encoded.getUnsignedByte(index) | 0x80);
            ctx.pipeline().remove(this);
        }
        ctx.write(msg, promise);
    }

    /** Fixed header byte, remaining length (1-4 bytes), protocol name (2-byte length + name), then the level. */
    static int protocolLevelIndex(ByteBuf connect) {
        int index = connect.readerIndex() + 1;
        while ((connect.getUnsignedByte(index) & 0x80) != 0) {
            index++;
        }
        index++;
        int nameLength = connect.getUnsignedShort(index);
        return index + 2 + nameLength;
    }
}
