package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.culex.bridge.BridgeState;
import io.culex.bridge.internal.testing.InMemoryBroker;
import io.culex.bridge.internal.testing.LeakDetection;
import io.culex.bridge.internal.testing.Mosquitto;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * The bridge's protocol and delivery rules against a real Mosquitto as the remote broker, with the local side in
 * memory so that what the bridge completes, publishes and drops can be seen; Netty's leak detector runs at PARANOID.
 */
@ExtendWith(LeakDetection.class)
class BridgeTest {

    @TempDir
    Path dir;

    private final InMemoryBroker local = new InMemoryBroker();
    private EventLoopGroup loops;
    private ExecutorService resolver;
    private Mosquitto remote;
    private Bridge bridge;

    @BeforeEach
    void start() throws Exception {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resolver = Executors.newSingleThreadExecutor();
        remote = Mosquitto.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.stop().get(5, TimeUnit.SECONDS);
        }
        remote.close();
        resolver.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    private Bridge bridge(String... topics) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("connection", "unit");
        properties.put("address", new String[] {"127.0.0.1:" + remote.port});
        properties.put("topic", topics);
        properties.put("remote_clientid", "unit");
        properties.put("restart_timeout", new Integer[] {1});
        bridge = new Bridge(BridgeSettings.from(properties, "host"), local, loops.next(), resolver, null);
        bridge.start();
        return bridge;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aQos1MessageIsCompletedLocallyOnlyOnceTheRemoteBrokerHasIt() throws Exception {
        bridge("a/# out 1");
        await("connected", () -> bridge.state().connected());
        assertEquals(1, local.subscriptionCount(), "one local subscription for the out topic");

        remote.stop();
        await("disconnected", () -> !bridge.state().connected());
        local.publishAsClient("client", "a/x", "kept", 1, true);
        await("queued", () -> bridge.state().messagesQueued() == 1);
        assertEquals(1, local.pending.get(), "not completed while the remote broker is down");

        remote.restart();
        await("delivered after the reconnection", () -> local.pending.get() == 0);
        assertEquals("kept\n", remote.run("mosquitto_sub", "-t", "a/x", "-C", "1", "-W", "10"),
                "retained on the remote side (bridge_outgoing_retain)");
        BridgeState state = bridge.state();
        assertTrue(state.connected());
        assertEquals(1, state.messagesSent());
        assertEquals(0, state.messagesQueued());
        assertEquals("127.0.0.1:" + remote.port, state.address());
        assertTrue(state.connectAttempts() >= 2, state.toString());
    }

    @Test
    void aQos0MessageIsDroppedWhileDisconnected() throws Exception {
        bridge("a/# out 0");
        await("connected", () -> bridge.state().connected());
        remote.stop();
        await("disconnected", () -> !bridge.state().connected());
        local.publishAsClient("client", "a/x", "lost", 0, false);
        await("dropped", () -> bridge.state().messagesDropped() == 1);
        assertEquals(0, local.pending.get());
        assertNotNull(bridge.state().lastError());
    }

    @Test
    void aRemoteMessageIsPublishedLocallyWithTheBridgesOriginAndNotSentBack() throws Exception {
        bridge("b/# both 1 local/ remote/");
        await("connected", () -> bridge.state().connected());
        // the bridge's own state notification, retained, comes first
        InMemoryBroker.Published notification = local.published.poll(10, TimeUnit.SECONDS);
        assertEquals(new InMemoryBroker.Published("$SYS/broker/connection/unit/state", "0", 1, true, "local.unit"),
                notification);
        assertEquals("1", local.published.poll(10, TimeUnit.SECONDS).payload());

        await("subscribed remotely", () -> {
            try {
                remote.run("mosquitto_pub", "-t", "remote/b/probe", "-m", "p", "-q", "1");
                return !local.published.isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        remote.run("mosquitto_pub", "-t", "remote/b/y", "-m", "hi", "-q", "1");
        InMemoryBroker.Published in = local.published.poll(10, TimeUnit.SECONDS);
        while (in != null && in.topic().equals("local/b/probe")) { // probes sent before the subscription was seen
            in = local.published.poll(10, TimeUnit.SECONDS);
        }
        assertEquals(new InMemoryBroker.Published("local/b/y", "hi", 1, false, "local.unit"), in);
        assertEquals(0, local.pending.get(), "no local: the bridge's own out subscription did not get it back");
        assertTrue(bridge.state().messagesReceived() >= 2, bridge.state().toString());
    }

    @Test
    void stoppingGivesUpQueuedMessagesAndAnnouncesTheState() throws Exception {
        bridge("a/# out 2");
        await("connected", () -> bridge.state().connected());
        remote.stop();
        await("disconnected", () -> !bridge.state().connected());
        local.publishAsClient("client", "a/x", "given up", 2, false);
        await("queued", () -> bridge.state().messagesQueued() == 1);
        local.published.clear();

        bridge.stop().get(5, TimeUnit.SECONDS);
        assertEquals(0, local.pending.get(), "released, so the broker does not keep counting it");
        assertEquals(0, local.subscriptionCount());
        assertFalse(bridge.state().connected());
        assertEquals("0", local.published.poll(5, TimeUnit.SECONDS).payload(), "state 0 announced locally");
        bridge = null;
    }
}
