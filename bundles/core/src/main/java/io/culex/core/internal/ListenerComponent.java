package io.culex.core.internal;

import io.culex.core.internal.engine.Engine;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.listener.MqttListener;

/**
 * One listener per {@code io.culex.core.listener} factory configuration. Changing the configuration rebinds the
 * listener; clients already connected through it stay connected. With {@code persistence true} a listener opens
 * only once a store has restored the broker's state, so that no client sees a broker without its sessions.
 */
@Component(service = ListenerComponent.class, configurationPid = ListenerComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ListenerConfiguration.class, factory = true)
public final class ListenerComponent {

    public static final String FACTORY_PID = "io.culex.core.listener";

    private static final Logger LOG = LoggerFactory.getLogger(ListenerComponent.class);
    /** After this long without a store, say why the listener is still closed. */
    private static final long STORE_WAIT_WARNING_SECONDS = 10;

    private final MqttListener listener;
    private final Engine engine;
    private final Object lock = new Object();
    private boolean started;
    private boolean stopped;

    @Activate
    public ListenerComponent(@Reference BrokerComponent broker, Map<String, Object> properties) {
        Engine engine = broker.engine();
        ListenerSettings settings;
        try {
            settings = ListenerSettings.from(properties);
        } catch (RuntimeException e) {
            engine.acceptGate().failed(ListenerSettings.keyOf(properties)); // the other listeners need not wait
            throw e;
        }
        this.engine = engine;
        this.listener = new MqttListener(settings, engine);
        CompletionStage<Void> restored = engine.persistence().restored();
        if (!engine.settings().persistence || restored.toCompletableFuture().isDone()) {
            start();
            return;
        }
        LOG.info("Listener {} opens once the persistence store has restored the broker's state.", settings.id);
        ScheduledFuture<?> warning = engine.eventLoops().workers().next().schedule(() -> LOG.warn(
                "Listener {} is still closed: persistence is configured and no store has restored yet (is the "
                        + "persistence feature installed?).", settings.id),
                STORE_WAIT_WARNING_SECONDS, TimeUnit.SECONDS);
        // binding blocks: not on the event loop that completes the restore
        restored.thenRunAsync(() -> {
            warning.cancel(false);
            try {
                start();
            } catch (RuntimeException e) {
                // logged by start(); the component stays, without its listener, until reconfigured
            }
        });
    }

    private void start() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            try {
                listener.start();
                started = true;
            } catch (RuntimeException e) {
                // the listener does not start; the others do, without waiting for it
                engine.acceptGate().failed(listener.settings().key);
                String message = String.valueOf(e.getMessage());
                LOG.error(message.startsWith("Error:") ? message : "Error: " + message);
                throw e;
            }
        }
    }

    /** @return the port actually bound */
    public int boundPort() {
        return listener.boundPort();
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            stopped = true;
            if (started) {
                listener.stop();
            }
        }
    }
}
