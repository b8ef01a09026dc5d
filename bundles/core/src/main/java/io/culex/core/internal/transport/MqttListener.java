package io.culex.core.internal.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.Engine;
import io.culex.core.internal.protocol.MqttConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.NetUtil;

/**
 * One bound listener: server sockets on its addresses, and the pipeline every accepted connection gets:
 * byte counter → {@link MqttDecoder} (maximum size from the configuration) → {@link MqttEncoder} → (keepalive
 * timer, added after CONNECT) → {@link MqttConnection}.
 */
public final class MqttListener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListener.class);
    /** Clients' maximum client id length; MQTT allows up to 65535 bytes. */
    private static final int MAX_CLIENT_ID_LENGTH = 65535;

    private final ListenerSettings settings;
    private final Engine engine;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ByteCounter byteCounter;

    public MqttListener(ListenerSettings settings, Engine engine) {
        this.settings = settings;
        this.engine = engine;
        this.byteCounter = new ByteCounter(engine.stats());
    }

    /**
     * Bind every address of the listener.
     *
     * @throws IllegalStateException with the reason if an address cannot be bound (the ones bound are closed)
     */
    public void start() {
        EventLoops loops = engine.eventLoops();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(loops.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accept(ch);
                    }
                });
        try {
            for (InetSocketAddress address : addresses()) {
                ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
                if (!bound.isSuccess() && isMissingIpv6(address, bound.cause())) {
                    // as Mosquitto: a host without IPv6 still serves the listener's IPv4 addresses
                    LOG.warn("Warning: {} is not available on this host ({}); not listening there.",
                            describe(address), bound.cause().getMessage());
                    continue;
                }
                if (!bound.isSuccess()) {
                    throw new IllegalStateException("Unable to listen on " + describe(address) + ": "
                            + bound.cause().getMessage() + " (" + settings.source + ")", bound.cause());
                }
                serverChannels.add(bound.channel());
                LOG.info("Opening {} listen socket on {} ({}).", address.getAddress() instanceof java.net.Inet6Address
                        ? "ipv6" : "ipv4", describe((InetSocketAddress) bound.channel().localAddress()),
                        loops.transportName());
            }
            if (serverChannels.isEmpty()) {
                throw new IllegalStateException("Unable to listen on any address of " + settings + " ("
                        + settings.source + ")");
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private static boolean isMissingIpv6(InetSocketAddress address, Throwable cause) {
        return address.getAddress() instanceof java.net.Inet6Address
                && cause != null && String.valueOf(cause.getMessage()).contains("Cannot assign requested address");
    }

    /** @return the local port actually bound (differs from the configured one when that was 0) */
    public int boundPort() {
        return serverChannels.isEmpty() ? -1 : ((InetSocketAddress) serverChannels.get(0).localAddress()).getPort();
    }

    /** Close the server sockets; connections already accepted stay. */
    public void stop() {
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
    }

    private void accept(Channel ch) {
        int now = connections.incrementAndGet();
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        if (settings.maxConnections >= 0 && now > settings.maxConnections) {
            LOG.info("Client connection from {} denied: max_connections exceeded.", ch.remoteAddress());
            ch.close();
            return;
        }
        int maxBytes = engine.settings().decoderMaxBytes();
        ch.pipeline()
                .addLast("bytes", byteCounter)
                .addLast("decoder", new MqttDecoder(maxBytes, MAX_CLIENT_ID_LENGTH))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast(MqttConnection.HANDLER_NAME, new MqttConnection(engine, settings, boundPortOf(ch)));
    }

    private static int boundPortOf(Channel ch) {
        return ch.localAddress() instanceof InetSocketAddress ? ((InetSocketAddress) ch.localAddress()).getPort() : -1;
    }

    private List<InetSocketAddress> addresses() {
        List<InetSocketAddress> result = new ArrayList<>();
        if (settings.bindAddress == null) {
            if ("ipv4".equals(settings.socketDomain)) {
                result.add(new InetSocketAddress(anyIpv4(), settings.port));
            } else {
                // the IPv6 wildcard also accepts IPv4 on Linux; socket_domain ipv6 is treated the same
                result.add(new InetSocketAddress(settings.port));
            }
            return result;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(settings.bindAddress)) {
                boolean v6 = address instanceof java.net.Inet6Address;
                if (settings.socketDomain == null || settings.socketDomain.equals(v6 ? "ipv6" : "ipv4")) {
                    result.add(new InetSocketAddress(address, settings.port));
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Unable to resolve bind address " + settings.bindAddress + " ("
                    + settings.source + ")", e);
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("No " + settings.socketDomain + " address for " + settings.bindAddress
                    + " (" + settings.source + ")");
        }
        return result;
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(InetSocketAddress address) {
        return address.getAddress().isAnyLocalAddress() ? "*:" + address.getPort()
                : NetUtil.toSocketAddressString(address);
    }

    @Override
    public String toString() {
        return "listener " + settings;
    }
}
