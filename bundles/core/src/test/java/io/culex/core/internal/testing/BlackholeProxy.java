package io.culex.core.internal.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy for one connection that can stop forwarding without closing either side: to the broker the client
 * then looks like one that vanished without a FIN (a pulled cable, a NAT that forgot the flow). Until then it
 * copies bytes both ways; afterwards it reads and drops them, and still notices when the broker closes its side.
 */
public final class BlackholeProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int brokerPort;
    private final CountDownLatch brokerClosed = new CountDownLatch(1);
    private volatile boolean blackholed;
    private volatile long lastForwardedToBrokerNanos;
    private volatile long brokerClosedNanos;
    private volatile Socket fromClient;
    private volatile Socket toBroker;

    public BlackholeProxy(int brokerPort) throws IOException {
        this.brokerPort = brokerPort;
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptOne, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the port clients connect to */
    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes in either direction, and nothing is closed. */
    public void blackhole() {
        blackholed = true;
    }

    /** @return {@link System#nanoTime()} when the last bytes from the client were written to the broker */
    public long lastForwardedToBrokerNanos() {
        return lastForwardedToBrokerNanos;
    }

    /**
     * @return {@link System#nanoTime()} when the broker closed its side
     * @throws AssertionError if it did not within the time
     */
    public long awaitBrokerClosed(long timeout, TimeUnit unit) throws InterruptedException {
        if (!brokerClosed.await(timeout, unit)) {
            throw new AssertionError("the broker did not close the connection within " + timeout + " " + unit);
        }
        return brokerClosedNanos;
    }

    private void acceptOne() {
        try {
            fromClient = server.accept();
            toBroker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
            pump(fromClient.getInputStream(), toBroker.getOutputStream(), true, "blackhole-proxy-up");
            pump(toBroker.getInputStream(), fromClient.getOutputStream(), false, "blackhole-proxy-down");
        } catch (IOException e) {
            brokerClosedNanos = System.nanoTime();
            brokerClosed.countDown();
        }
    }

    private void pump(InputStream in, OutputStream out, boolean towardsBroker, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (blackholed) {
                        continue; // dropped: neither side hears anything more
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    if (towardsBroker) {
                        lastForwardedToBrokerNanos = System.nanoTime();
                    }
                }
            } catch (IOException closed) {
                // a side closed; handled below
            }
            if (!blackholed) {
                closeQuietly(out); // an ordinary close passes through while the proxy forwards
            }
            if (!towardsBroker) {
                brokerClosedNanos = System.nanoTime();
                brokerClosed.countDown();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException alreadyClosed) {
            // nothing to pass on
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : new Socket[] {fromClient, toBroker}) {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
