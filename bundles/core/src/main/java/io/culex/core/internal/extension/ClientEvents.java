package io.culex.core.internal.extension;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientEventListener;
import io.culex.api.ClientInfo;

/**
 * Tells the {@link ClientEventListener}s about client life-cycle events; a listener that throws is logged and the
 * others still hear of it.
 */
public final class ClientEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ClientEvents.class);

    private final ServiceChain<ClientEventListener> listeners;

    public ClientEvents(Extensions extensions) {
        this.listeners = extensions.eventListeners;
    }

    public void connected(ClientInfo client, boolean sessionPresent) {
        notify("connected", l -> l.connected(client, sessionPresent));
    }

    public void disconnected(ClientInfo client, boolean graceful) {
        notify("disconnected", l -> l.disconnected(client, graceful));
    }

    public void subscribed(ClientInfo client, String filter, int qos) {
        notify("subscribed", l -> l.subscribed(client, filter, qos));
    }

    public void unsubscribed(ClientInfo client, String filter) {
        notify("unsubscribed", l -> l.unsubscribed(client, filter));
    }

    private void notify(String event, Consumer<ClientEventListener> call) {
        ServiceChain.Entry<ClientEventListener>[] chain = listeners.snapshot();
        for (ServiceChain.Entry<ClientEventListener> entry : chain) {
            if (!entry.enter()) {
                continue; // being unregistered: it no longer hears of events
            }
            try {
                call.accept(entry.service());
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Client event listener from {} failed on {}: {}", entry.origin(), event, e.toString(), e);
            } finally {
                entry.exit();
            }
        }
    }
}
