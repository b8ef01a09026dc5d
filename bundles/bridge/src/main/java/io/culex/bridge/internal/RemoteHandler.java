package io.culex.bridge.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * The last handler of a bridge's connection to the remote broker: passes each decoded packet and event to the
 * {@link Bridge}, which owns the protocol state. Packets are released when {@code channelRead0} returns (the bridge
 * copies what it keeps), so a PUBLISH's payload buffer never outlives its read.
 */
final class RemoteHandler extends SimpleChannelInboundHandler<MqttMessage> {

    private final Bridge bridge;

    RemoteHandler(Bridge bridge) {
        this.bridge = bridge;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        bridge.onChannelActive(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.decoderResult().isFailure()) {
            bridge.onProtocolError(ctx.channel(), "malformed packet from the remote broker: "
                    + message.decoderResult().cause().getMessage());
            return;
        }
        bridge.onPacket(ctx.channel(), message);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            bridge.onIdle(ctx.channel(), idle);
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        bridge.onProtocolError(ctx.channel(), String.valueOf(cause.getMessage() == null ? cause : cause.getMessage()));
    }
}
