package io.culex.core.internal.transport;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The broker's threads: one acceptor loop and the worker loops that own connections and sessions. Uses epoll when
 * its native library loads, NIO otherwise.
 */
public final class EventLoops {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoops.class);

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final EventLoop[] workerLoops;
    private final Class<? extends ServerChannel> serverChannelType;
    private final String transportName;

    /**
     * @param workerThreads number of worker loops; 0 means one per available processor
     */
    public EventLoops(int workerThreads) {
        this(workerThreads, true);
    }

    /**
     * @param workerThreads number of worker loops; 0 means one per available processor
     * @param epollIfAvailable {@code false} forces NIO (for tests of what happens where epoll is missing)
     */
    public EventLoops(int workerThreads, boolean epollIfAvailable) {
        int threads = workerThreads > 0 ? workerThreads : Runtime.getRuntime().availableProcessors();
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channelType;
        String name;
        if (epollIfAvailable && EpollSupport.isAvailable()) {
            factory = EpollSupport.ioHandlerFactory();
            channelType = EpollSupport.serverChannelType();
            name = "epoll";
        } else {
            factory = NioIoHandler.newFactory();
            channelType = NioServerSocketChannel.class;
            name = "nio";
            LOG.debug("epoll is not available ({}), using NIO", EpollSupport.unavailabilityCause());
        }
        this.acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("culex-accept", true), factory);
        this.workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("culex-io", true), factory);
        java.util.List<EventLoop> loops = new java.util.ArrayList<>();
        for (io.netty.util.concurrent.EventExecutor e : workers) {
            loops.add((EventLoop) e);
        }
        this.workerLoops = loops.toArray(new EventLoop[0]);
        this.serverChannelType = channelType;
        this.transportName = name;
    }

    public EventLoopGroup acceptors() {
        return acceptors;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    /**
     * @param key what the work belongs to (a publisher's identity), or {@code null}
     * @return the same worker loop for the same key, so that what one publisher sends is routed in order
     */
    public EventLoop workerFor(Object key) {
        EventLoop[] loops = workerLoops;
        return loops[key == null ? 0 : Math.floorMod(key.hashCode(), loops.length)];
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    /**
     * @return the server channel type for Unix domain sockets
     * @throws IllegalStateException if the event loops are not epoll loops (Unix sockets need epoll)
     */
    public Class<? extends ServerChannel> domainSocketServerChannelType() {
        if (!"epoll".equals(transportName)) {
            throw new IllegalStateException("Unix socket listeners need Netty's epoll transport, which is not "
                    + "in use here (" + (EpollSupport.isAvailable() ? "NIO was chosen"
                    : EpollSupport.unavailabilityCause()) + ")");
        }
        return EpollSupport.domainSocketServerChannelType();
    }

    /** @return "epoll" or "nio" */
    public String transportName() {
        return transportName;
    }

    public void shutdown(long timeout, TimeUnit unit) {
        acceptors.shutdownGracefully(0, timeout, unit);
        workers.shutdownGracefully(0, timeout, unit);
        acceptors.terminationFuture().awaitUninterruptibly(timeout, unit);
        workers.terminationFuture().awaitUninterruptibly(timeout, unit);
    }
}
