package io.culex.bridge.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The threads all bridges of this bundle share: a small Netty event loop group for the remote connections (each
 * bridge is pinned to one loop for its life) and a resolver pool for host name lookups, which may block. The core's
 * event loops are not exported by its API, so the bridge bundle has its own; bridges carry little traffic
 * compared with client connections, so two loops are plenty.
 */
@Component(service = BridgeThreads.class)
public final class BridgeThreads {

    private EventLoopGroup loops;
    private ExecutorService resolver;

    @Activate
    void activate() {
        loops = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                daemonThreads("culex-bridge-loop"), NioIoHandler.newFactory());
        resolver = Executors.newFixedThreadPool(2, daemonThreads("culex-bridge-resolver"));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        resolver.shutdownNow();
        // the bridges stopped before this (they reference this component), so there is nothing left to flush
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    EventLoop nextLoop() {
        return loops.next();
    }

    ExecutorService resolver() {
        return resolver;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
