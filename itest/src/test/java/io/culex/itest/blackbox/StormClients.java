package io.culex.itest.blackbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Many MQTT 3.1.1 clients on two threads (a thread per client would not scale to a storm): each connection sends
 * its CONNECT as soon as it is open and completes {@link Client#connack} with the CONNACK's return code (-1 if the
 * connection closed first). Nothing else is spoken; keep-alive 0, so idle clients stay.
 */
final class StormClients implements AutoCloseable {

    /** One connection of one client id. */
    static final class Client {
        final String id;
        final CompletableFuture<Integer> connack = new CompletableFuture<>();
        volatile Channel channel;

        Client(String id) {
            this.id = id;
        }

        boolean isOpen() {
            Channel c = channel;
            return c != null && c.isActive();
        }
    }

    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private final int port;
    private final List<Client> all = new ArrayList<>();

    StormClients(int port) {
        this.port = port;
    }

    /** Start connecting, without waiting: the connection and its CONNECT happen on the client's event loop. */
    synchronized Client connect(String clientId) {
        Client client = new Client(clientId);
        all.add(client);
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        client.channel = ch;
                        ch.pipeline().addLast(new ConnackReader(client));
                    }
                })
                .connect("127.0.0.1", port)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        client.connack.complete(-1);
                    }
                });
        return client;
    }

    /** Wait for every CONNACK given out so far, up to the deadline. */
    static void awaitConnacks(List<Client> clients, long timeout, TimeUnit unit) throws Exception {
        CompletableFuture.allOf(clients.stream().map(c -> c.connack).toArray(CompletableFuture[]::new))
                .get(timeout, unit);
    }

    private static final class ConnackReader extends ChannelInboundHandlerAdapter {
        private final Client client;
        private final ByteBuf received = Unpooled.buffer(4);

        ConnackReader(Client client) {
            this.client = client;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            byte[] id = client.id.getBytes(StandardCharsets.UTF_8);
            ByteBuf connect = ctx.alloc().buffer(14 + id.length);
            connect.writeBytes(new byte[] {0x10, (byte) (12 + id.length), 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 0});
            connect.writeShort(id.length).writeBytes(id);
            ctx.writeAndFlush(connect);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                received.writeBytes(bytes, Math.min(bytes.readableBytes(), received.writableBytes()));
            } finally {
                bytes.release();
            }
            if (received.readableBytes() == 4 && !client.connack.isDone()) {
                client.connack.complete(received.getByte(0) == 0x20 ? received.getByte(3) & 0xFF : -2);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.connack.complete(-1); // no effect once the CONNACK came
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset by the broker (takeover) ends up in channelInactive
        }
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
