package io.culex.core.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

/**
 * Outbound half of MQTT over WebSocket: each buffer the MQTT side writes becomes one binary frame. A packet may
 * span frames (a QoS 1/2 PUBLISH is written as header and shared payload), which the specification allows.
 *
 * <p>Ownership: the frame takes over the buffer, without a retain: the frame encoder releases it once written.
 * Empty buffers (used only to flush) go on unchanged rather than as empty frames.
 */
@ChannelHandler.Sharable
public final class BytesToWebSocketFrames extends ChannelOutboundHandlerAdapter {

    public static final BytesToWebSocketFrames INSTANCE = new BytesToWebSocketFrames();

    private BytesToWebSocketFrames() {
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            ctx.write(new BinaryWebSocketFrame((ByteBuf) msg), promise);
        } else {
            ctx.write(msg, promise);
        }
    }
}
