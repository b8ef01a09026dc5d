package io.culex.core.internal.listener;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.engine.ServingListener;
import io.culex.api.ListenerInfo;
import io.culex.core.internal.transport.ByteCounter;
import io.culex.core.internal.transport.EventLoops;
import io.culex.core.internal.transport.PeerIdentity;
import io.culex.core.internal.transport.TlsContextFactory;
import io.culex.core.internal.transport.TlsFailures;
import io.culex.core.internal.transport.WebSocketFramesToBytes;
import io.culex.core.internal.transport.BytesToWebSocketFrames;
import io.culex.core.internal.protocol.BridgeProtocolLevel;
import io.culex.core.internal.validation.InboundValidator;
import io.culex.core.internal.protocol.MqttConnection;
import io.culex.core.internal.settings.ListenerSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;

/**
 * One bound listener: server sockets on its addresses (TCP, or a Unix domain socket), and the pipeline every
 * accepted connection gets:
 * <pre>
 * byte counter
 *  → [TLS: SslHandler → TlsFailures]
 *  → [WebSockets: HttpServerCodec → HttpObjectAggregator → WebSocketServerProtocolHandler
 *                 → WebSocketFramesToBytes / BytesToWebSocketFrames]
 *  → BridgeProtocolLevel (first packet only) → InboundValidator (framing, maximum size, the specification's
 *    rules per packet) → MqttDecoder → MqttEncoder → (keepalive timer, added after CONNECT)
 *  → MqttConnection
 * </pre>
 */
public final class MqttListener implements ServingListener {

    private static final Logger LOG = LoggerFactory.getLogger(MqttListener.class);
    /** Clients' maximum client id length; MQTT allows up to 65535 bytes. */
    private static final int MAX_CLIENT_ID_LENGTH = 65535;
    /** The WebSocket subprotocols MQTT clients ask for; Mosquitto (libwebsockets) accepts these. */
    private static final String WEBSOCKET_SUBPROTOCOLS = "mqtt,mqttv3.1,mqttv3";
    /** Largest HTTP upgrade request (headers only: a GET has no body). */
    private static final int MAX_HTTP_REQUEST_BYTES = 8192;
    /** File type bits of a Unix socket in {@code st_mode}. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final ListenerSettings settings;
    private final Engine engine;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ByteCounter byteCounter;
    /** Set in {@link #start()} before the first bind, so before any connection is accepted. */
    private volatile SslContext sslContext;

    public MqttListener(ListenerSettings settings, Engine engine) {
        this.settings = settings;
        this.engine = engine;
        this.byteCounter = new ByteCounter(engine.stats());
    }

    /**
     * Load the TLS files, if any, and bind every address of the listener; it accepts clients once the engine's
     * {@link io.culex.core.internal.engine.AcceptGate} opens.
     *
     * @throws IllegalStateException with the reason if a TLS file is bad or an address cannot be bound (the ones
     *     bound are closed)
     */
    public void start() {
        if (settings.tls != null) {
            sslContext = TlsContextFactory.create(settings.tls);
        }
        try {
            if (settings.isUnixSocket()) {
                bindUnixSocket();
            } else {
                bindTcp();
            }
            engine.listeners().add(this);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        List<Channel> bound = List.copyOf(serverChannels);
        engine.acceptGate().bound(settings.key, () -> startAccepting(bound));
    }

    /** The server sockets were bound with reading (accepting) off; the kernel queues connections until now. */
    private static void startAccepting(List<Channel> bound) {
        for (Channel channel : bound) {
            channel.config().setAutoRead(true);
        }
    }

    private ServerBootstrap bootstrap(Class<? extends io.netty.channel.ServerChannel> channelType) {
        EventLoops loops = engine.eventLoops();
        return new ServerBootstrap()
                .group(loops.acceptors(), loops.workers())
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false) // accept once every listener is bound: AcceptGate
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accept(ch);
                    }
                });
    }

    private void bindTcp() {
        EventLoops loops = engine.eventLoops();
        ServerBootstrap bootstrap = bootstrap(loops.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true);
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
            LOG.info("Opening {} listen socket on {} ({}{}).", address.getAddress() instanceof Inet6Address
                    ? "ipv6" : "ipv4", describe((InetSocketAddress) bound.channel().localAddress()),
                    loops.transportName(), kind());
        }
        if (serverChannels.isEmpty()) {
            throw new IllegalStateException("Unable to listen on any address of " + settings + " ("
                    + settings.source + ")");
        }
    }

    private void bindUnixSocket() {
        Class<? extends io.netty.channel.ServerChannel> channelType;
        try {
            channelType = engine.eventLoops().domainSocketServerChannelType();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Unable to listen on Unix socket " + settings.unixSocketPath + ": "
                    + e.getMessage() + " (" + settings.source + ")", e);
        }
        removeStaleSocket(Paths.get(settings.unixSocketPath));
        ChannelFuture bound = bootstrap(channelType).bind(new DomainSocketAddress(settings.unixSocketPath))
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("Unable to listen on Unix socket " + settings.unixSocketPath + ": "
                    + bound.cause().getMessage() + " (" + settings.source + ")", bound.cause());
        }
        serverChannels.add(bound.channel());
        LOG.info("Opening unix listen socket on {} (epoll{}).", settings.unixSocketPath, kind());
    }

    /**
     * A socket file left by a broker that did not stop cleanly would make the bind fail; Mosquitto unlinks it too.
     * Anything that is not a socket is left alone and reported.
     */
    private void removeStaleSocket(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new IllegalStateException("Unable to listen on Unix socket " + path
                        + ": the file exists and is not a socket (" + settings.source + ")");
            }
            Files.delete(path);
            LOG.debug("Removed stale Unix socket {}", path);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Unable to remove the stale Unix socket " + path + ": " + e
                    + " (" + settings.source + ")", e);
        }
    }

    private String kind() {
        return (settings.protocol == ListenerSettings.Protocol.WEBSOCKETS ? ", websockets" : "")
                + (settings.tls != null ? ", tls" : "");
    }

    private static boolean isMissingIpv6(InetSocketAddress address, Throwable cause) {
        return address.getAddress() instanceof Inet6Address
                && cause != null && String.valueOf(cause.getMessage()).contains("Cannot assign requested address");
    }

    /** @return the local port actually bound (differs from the configured one when that was 0); -1 for Unix */
    public int boundPort() {
        if (serverChannels.isEmpty()) {
            return -1;
        }
        SocketAddress local = serverChannels.get(0).localAddress();
        return local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : -1;
    }

    /** @return the configuration it runs with */
    public ListenerSettings settings() {
        return settings;
    }

    /** @return the local addresses of its server sockets */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> addresses = new ArrayList<>();
        for (Channel channel : serverChannels) {
            addresses.add(channel.localAddress());
        }
        return addresses;
    }

    /** @return network connections open now */
    public int connections() {
        return connections.get();
    }

    /** Close the server sockets (Netty removes a Unix socket's file); connections already accepted stay. */
    public void stop() {
        engine.listeners().remove(this);
        for (Channel channel : serverChannels) {
            channel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
    }

    private void accept(Channel ch) {
        int now = connections.incrementAndGet();
        ch.closeFuture().addListener(f -> connections.decrementAndGet());
        if (settings.maxConnections >= 0 && now > settings.maxConnections) {
            LOG.info("Client connection from {} denied: max_connections exceeded.", PeerIdentity.printableRemoteAddress(ch));
            ch.close();
            return;
        }
        int maxBytes = engine.settings().decoderMaxBytes();
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("bytes", byteCounter);
        SslContext ssl = sslContext;
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(ch.alloc()))
                    .addLast("tls-failures", TlsFailures.INSTANCE);
        }
        if (settings.protocol == ListenerSettings.Protocol.WEBSOCKETS) {
            WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/")
                    .checkStartsWith(true) // any path, as Mosquitto (libwebsockets) accepts
                    .subprotocols(WEBSOCKET_SUBPROTOCOLS)
                    .maxFramePayloadLength(maxBytes)
                    .allowExtensions(false)
                    .build();
            pipeline.addLast("http", new HttpServerCodec())
                    .addLast("http-request", new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES))
                    .addLast("websocket", new WebSocketServerProtocolHandler(webSocket))
                    .addLast("websocket-in", new WebSocketFramesToBytes())
                    .addLast("websocket-out", BytesToWebSocketFrames.INSTANCE);
        }
        pipeline.addLast("bridge-level", new BridgeProtocolLevel())
                .addLast("validator", new InboundValidator(maxBytes))
                // the validator has checked every string of what it passes (well-formed, no U+0000): Netty's strict
                // UTF-8 decoding would check it again on every packet; a CONNECT of an unknown protocol, the only
                // packet passed unchecked, is refused at its protocol level before any string of its payload
                .addLast("decoder", new MqttDecoder(maxBytes, MAX_CLIENT_ID_LENGTH, false))
                .addLast("encoder", MqttEncoder.INSTANCE)
                .addLast(MqttConnection.HANDLER_NAME, new MqttConnection(engine, settings, boundPortOf(ch)));
    }

    private static int boundPortOf(Channel ch) {
        return ch.localAddress() instanceof InetSocketAddress ? ((InetSocketAddress) ch.localAddress()).getPort() : -1;
    }

    private List<InetSocketAddress> addresses() {
        if (settings.bindInterface != null) {
            return interfaceAddresses();
        }
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
                if (matchesSocketDomain(address)) {
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

    /**
     * {@code bind_interface}: the interface's addresses at start, as Mosquitto 2 does (it looks them up with
     * {@code getifaddrs}). This is not {@code SO_BINDTODEVICE}: addresses the interface gains later are not served,
     * and the kernel may route a connection to one of these addresses through another interface. It takes priority
     * over the listener's address, as in Mosquitto.
     */
    private List<InetSocketAddress> interfaceAddresses() {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(settings.bindInterface);
        } catch (SocketException e) {
            throw new IllegalStateException("Error: bind_interface " + settings.bindInterface + ": " + e.getMessage()
                    + " (" + settings.source + ")", e);
        }
        if (nic == null) {
            throw new IllegalStateException("Error: bind_interface: there is no network interface named \""
                    + settings.bindInterface + "\" (" + settings.source + ")");
        }
        List<InetSocketAddress> result = new ArrayList<>();
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (matchesSocketDomain(address)) {
                result.add(new InetSocketAddress(address, settings.port));
            }
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("Error: bind_interface: network interface " + settings.bindInterface
                    + " has no " + (settings.socketDomain == null ? "" : settings.socketDomain + " ")
                    + "address (" + settings.source + ")");
        }
        return result;
    }

    private boolean matchesSocketDomain(InetAddress address) {
        boolean v6 = address instanceof Inet6Address;
        return settings.socketDomain == null || settings.socketDomain.equals(v6 ? "ipv6" : "ipv4");
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

    @Override
    public ListenerInfo info() {
        return new ListenerView(settings.source, List.copyOf(boundAddresses()), settings.isUnixSocket() ? -1
                : settings.port, settings.protocol == ListenerSettings.Protocol.WEBSOCKETS ? "websockets" : "mqtt",
                settings.tls != null, settings.mountPoint, connections());
    }

    private static final class ListenerView implements ListenerInfo {
        private final String source;
        private final List<java.net.SocketAddress> addresses;
        private final int port;
        private final String protocol;
        private final boolean tls;
        private final String mountPoint;
        private final int connections;

        ListenerView(String source, List<java.net.SocketAddress> addresses, int port, String protocol, boolean tls,
                     String mountPoint, int connections) {
            this.source = source;
            this.addresses = addresses;
            this.port = port;
            this.protocol = protocol;
            this.tls = tls;
            this.mountPoint = mountPoint;
            this.connections = connections;
        }

        @Override public String source() { return source; }
        @Override public List<java.net.SocketAddress> addresses() { return addresses; }
        @Override public int port() { return port; }
        @Override public String protocol() { return protocol; }
        @Override public boolean tls() { return tls; }
        @Override public String mountPoint() { return mountPoint; }
        @Override public int connections() { return connections; }
    }
}
