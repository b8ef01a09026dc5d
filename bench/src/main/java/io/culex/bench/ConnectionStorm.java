package io.culex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The connection scenario of issue 13: N clients connect (at most {@code --in-flight} CONNECTs outstanding at a time)
 * and stay idle. Reports the connect rate (CONNACKs per second over the whole storm) and, with {@code --broker-pid},
 * the broker's resident memory per idle connection: (RSS with the clients connected, after {@code --hold} seconds,
 * minus RSS before the first connect) / N, from {@code /proc/<pid>/status}.
 *
 * <pre>java -cp ... io.culex.bench.ConnectionStorm --port 1883 --connections 10000 --broker-pid 1234</pre>
 * The last line is machine-readable: {@code RESULT key=value ...}.
 */
public final class ConnectionStorm {

    private ConnectionStorm() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 1883;
        int connections = 10_000;
        int inFlight = 200;
        long brokerPid = -1;
        double holdSeconds = 5;
        String label = "broker";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--host": host = value; break;
                case "--port": port = Integer.parseInt(value); break;
                case "--connections": connections = Integer.parseInt(value); break;
                case "--in-flight": inFlight = Integer.parseInt(value); break;
                case "--broker-pid": brokerPid = Long.parseLong(value); break;
                case "--hold": holdSeconds = Double.parseDouble(value); break;
                case "--label": label = value; break;
                default:
                    System.err.println("connection storm: unknown option " + args[i] + "\n  --host --port"
                            + " --connections --in-flight --broker-pid --hold --label");
                    System.exit(2);
                    return;
            }
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<IdleClient> channels = new ArrayList<>(connections);
        try {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            long rssBefore = Bench.brokerRssKb(brokerPid);
            Semaphore outstanding = new Semaphore(inFlight);
            List<CompletableFuture<Void>> acks = new ArrayList<>(connections);
            String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            long start = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                outstanding.acquire();
                IdleClient client = new IdleClient("storm-" + run + "-" + i);
                client.connected.whenComplete((ok, failure) -> outstanding.release());
                acks.add(client.connected);
                bootstrap.clone().handler(client).connect(host, port).addListener(f -> {
                    if (!f.isSuccess()) {
                        client.connected.completeExceptionally(f.cause());
                    }
                });
                channels.add(client);
            }
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep((long) (holdSeconds * 1000)); // idle: let the broker settle (timers, buffers released)
            long rssAfter = Bench.brokerRssKb(brokerPid);
            long open = channels.stream().filter(IdleClient::isOpen).count();
            double perConnectionKb = rssBefore > 0 && rssAfter > 0 ? (rssAfter - rssBefore) / (double) connections : -1;
            System.out.printf(Locale.ROOT, "%s connections %d: %.0f connects/s (%.2f s), %d still open after %.0f s "
                            + "idle, broker RSS %d -> %d KiB, %.2f KiB per connection%n", label, connections,
                    connections / seconds, seconds, open, holdSeconds, rssBefore, rssAfter, perConnectionKb);
            System.out.printf(Locale.ROOT, "RESULT label=%s scenario=connections connections=%d connect_per_s=%.0f "
                            + "open=%d rss_before_kb=%d rss_after_kb=%d rss_per_connection_kb=%.2f%n", label,
                    connections, connections / seconds, open, rssBefore, rssAfter, perConnectionKb);
        } finally {
            for (IdleClient c : channels) {
                c.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Connects with keep alive 0 (nothing to send while idle), then only waits. */
    private static final class IdleClient extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        private final String clientId;

        private volatile Channel channel;

        IdleClient(String clientId) {
            this.clientId = clientId;
        }

        boolean isOpen() {
            Channel c = channel;
            return c != null && c.isActive();
        }

        void close() {
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ByteBuf connect = ctx.alloc().buffer(64);
            Wire.connect(connect, clientId, 4, 0, false);
            ctx.writeAndFlush(connect);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                // CONNACK: 0x20 0x02 flags code
                if (in.readableBytes() >= 4 && in.getUnsignedByte(in.readerIndex()) == 0x20) {
                    int code = in.getUnsignedByte(in.readerIndex() + 3);
                    if (code == 0) {
                        connected.complete(null);
                    } else {
                        connected.completeExceptionally(new IllegalStateException(clientId + ": CONNACK " + code));
                    }
                }
            } finally {
                in.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connected.completeExceptionally(new IllegalStateException(clientId + ": closed"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connected.completeExceptionally(cause);
            ctx.close();
        }
    }
}
