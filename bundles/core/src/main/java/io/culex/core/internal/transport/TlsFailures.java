package io.culex.core.internal.transport;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Sits right after the {@code SslHandler}: a failed handshake (untrusted or missing client certificate, no common
 * protocol or cipher, plain MQTT sent to a TLS port) is one log line and a close, as in Mosquitto, instead of an
 * exception travelling to the MQTT handler.
 */
@ChannelHandler.Sharable
public final class TlsFailures extends ChannelInboundHandlerAdapter {

    public static final TlsFailures INSTANCE = new TlsFailures();

    private static final Logger LOG = LoggerFactory.getLogger(TlsFailures.class);

    private TlsFailures() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
            Throwable cause = ((SslHandshakeCompletionEvent) evt).cause();
            LOG.info("Client connection from {} failed: TLS handshake: {}", PeerIdentity.printableRemoteAddress(ctx.channel()),
                    describe(cause));
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTlsFailure(cause)) {
            LOG.debug("Client connection from {}: TLS error: {}", PeerIdentity.printableRemoteAddress(ctx.channel()), cause.toString());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static boolean isTlsFailure(Throwable cause) {
        return cause instanceof SSLException || cause instanceof NotSslRecordException
                || (cause instanceof DecoderException && cause.getCause() instanceof SSLException);
    }

    private static String describe(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return "the client does not speak TLS";
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return String.valueOf(root.getMessage());
    }
}
