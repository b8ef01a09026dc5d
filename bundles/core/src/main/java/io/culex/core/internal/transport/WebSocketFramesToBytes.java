package io.culex.core.internal.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Inbound half of MQTT over WebSocket: the payload of each binary frame (and of its continuation frames) goes on as
 * plain bytes to the MQTT decoder, which does not care where frames begin or end. Close and ping frames are
 * answered before this handler by Netty's {@code WebSocketServerProtocolHandler}.
 *
 * <p>MQTT allows binary frames only ("MQTT over WebSockets", section 6 of the specification): a text frame closes
 * the connection, and everything after it is discarded.
 *
 * <p>Ownership: the content buffer of a binary or continuation frame is passed on (the frame object only holds it
 * and is not released separately); every other frame is released here.
 */
public final class WebSocketFramesToBytes extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFramesToBytes.class);

    private boolean rejected;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!rejected && (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame)) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
            return;
        }
        ReferenceCountUtil.release(msg);
        if (msg instanceof TextWebSocketFrame && !rejected) {
            rejected = true;
            LOG.info("Client connection from {} sent a WebSocket text frame (MQTT needs binary frames), closing.",
                    PeerIdentity.printableRemoteAddress(ctx.channel()));
            ctx.close();
        }
    }
}
