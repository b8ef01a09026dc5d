package io.culex.core.internal.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.extension.Extensions;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.transport.EventLoops;
import io.culex.core.internal.listener.MqttListener;

/**
 * The real engine and a real listener on a free loopback port, without OSGi: for tests that talk MQTT over a
 * socket to the broker.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Engine engine;
    private final MqttListener listener;
    private final Extensions extensions;

    public EmbeddedBroker(Map<String, Object> brokerSettings) {
        this(brokerSettings, Map.of());
    }

    /**
     * @param brokerSettings {@code io.culex.core.broker} properties
     * @param listenerOptions {@code io.culex.core.listener} properties besides port and bind address
     */
    public EmbeddedBroker(Map<String, Object> brokerSettings, Map<String, Object> listenerOptions) {
        Map<String, Object> settings = withAnonymousDefault(brokerSettings);
        extensions = new Extensions();
        engine = new Engine(BrokerSettings.from(settings), extensions, new EventLoops(2));
        Map<String, Object> listenerSettings = new HashMap<>(listenerOptions);
        listenerSettings.put("port", 0);
        if (!listenerSettings.containsKey("unix_socket_path")) {
            listenerSettings.put("bind_address", "127.0.0.1");
        }
        listenerSettings.putIfAbsent("culex.source", "test.conf:1");
        listener = new MqttListener(ListenerSettings.from(listenerSettings), engine);
        try {
            listener.start();
        } catch (RuntimeException e) {
            engine.shutdown();
            throw e;
        }
    }

    public EmbeddedBroker() {
        this(Map.of());
    }

    public int port() {
        return listener.boundPort();
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public Engine engine() {
        return engine;
    }

    public Extensions extensions() {
        return extensions;
    }

    /** Register a store, as the broker component's reference does; it restores and gets the snapshot. */
    public void addStore(io.culex.api.persistence.PersistenceListener store) {
        extensions.stores.add(new TestServiceReference<>(), store);
        engine.persistence().attachNew();
    }

    public void reconfigure(Map<String, Object> brokerSettings) {
        Map<String, Object> settings = withAnonymousDefault(brokerSettings);
        engine.updateSettings(BrokerSettings.from(settings));
    }

    /** Tests connect anonymously unless they set the security options themselves. */
    private static Map<String, Object> withAnonymousDefault(Map<String, Object> brokerSettings) {
        Map<String, Object> settings = new HashMap<>(brokerSettings);
        if (!settings.containsKey("local_only")) {
            settings.putIfAbsent("allow_anonymous", true);
        }
        return settings;
    }

    @Override
    public void close() {
        listener.stop();
        engine.shutdown();
    }

    /** Wait until a condition holds, polling; for state that has no event to await. */
    public static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
