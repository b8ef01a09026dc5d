package io.culex.core.internal.transport;

import io.culex.core.internal.metrics.Stats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes that cross the socket, for {@code $SYS/broker/bytes/...}, and the connections accepted, for
 * {@code $SYS/broker/load/sockets/...}. Shared by all channels.
 */
@ChannelHandler.Sharable
public final class ByteCounter extends ChannelDuplexHandler {

    private final Stats stats;

    public ByteCounter(Stats stats) {
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.socketAccepted();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            stats.bytesReceived(((ByteBuf) msg).readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            stats.bytesSent(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
    }
}
