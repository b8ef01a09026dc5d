package io.culex.core.internal.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.culex.core.internal.metrics.Stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.BrokerStatistics;
import io.culex.api.ClientInfo;
import io.culex.api.MessageInterceptor.Verdict;
import io.culex.core.internal.extension.AccessControl;
import io.culex.core.internal.extension.ClientEvents;
import io.culex.core.internal.extension.ControlDispatch;
import io.culex.core.internal.extension.EnhancedAuthentication;
import io.culex.core.internal.extension.Extensions;
import io.culex.core.internal.extension.Interception;
import io.culex.core.internal.routing.FlowSource;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.RetainedStore;
import io.culex.core.internal.routing.Router;
import io.culex.core.internal.routing.SubscriptionTree;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.persistence.Persistence;
import io.culex.core.internal.session.SessionChanges;
import io.culex.core.internal.session.SessionContext;
import io.culex.core.internal.session.SessionRegistry;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.transport.EventLoops;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;

/**
 * The running broker: the shared structures every connection works with. One instance per activation of the
 * broker component.
 */
public final class Engine implements SessionContext {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private volatile BrokerSettings settings;
    private final EventLoops eventLoops;
    private final Extensions extensions;
    private final AccessControl access;
    private final EnhancedAuthentication enhancedAuthentication;
    private final ClientEvents events;
    private final Interception interception;
    private final ControlDispatch controls;
    private final SubscriptionTree subscriptions = new SubscriptionTree();
    private final RetainedStore retained = new RetainedStore();
    private final Router router = new Router(subscriptions);
    private final SessionRegistry sessions = new SessionRegistry(this);
    private final Persistence persistence;
    private final Stats stats = new Stats();
    private final ConcurrentHashMap<String, ConnectedClient> connected = new ConcurrentHashMap<>();
    private final java.util.Set<ServingListener> listeners =
            ConcurrentHashMap.newKeySet();
    private final AcceptGate acceptGate;

    public Engine(BrokerSettings settings, Extensions extensions, EventLoops eventLoops) {
        this.settings = settings;
        this.extensions = extensions;
        this.eventLoops = eventLoops;
        this.access = new AccessControl(extensions);
        this.access.requireProviders(settings.requiredProviders, settings.requiredAuthenticators,
                settings.requiredAuthorizers);
        this.enhancedAuthentication = new EnhancedAuthentication(extensions);
        this.events = new ClientEvents(extensions);
        this.interception = new Interception(extensions);
        this.controls = new ControlDispatch(extensions, this::publishFromBroker);
        this.persistence = new Persistence(extensions.stores, sessions, retained, eventLoops);
        this.acceptGate = new AcceptGate(settings.listenerKeys, eventLoops.workers());
    }

    /** @return what holds accepting back until every configured listener is bound */
    public AcceptGate acceptGate() {
        return acceptGate;
    }

    /** @return the stores and what acknowledgements wait for */
    /** Bundle subscriptions that hold publishers' acknowledgements until completed (API 1.7). */
    private final java.util.concurrent.atomic.AtomicInteger acknowledgementHolders =
            new java.util.concurrent.atomic.AtomicInteger();

    /** A subscription that holds acknowledgements started (+1) or closed (-1). */
    public void acknowledgementHolders(int change) {
        acknowledgementHolders.addAndGet(change);
    }

    /**
     * @return whether a QoS 1/2 acknowledgement must wait for its message to settle: a store listens, or a bundle
     *     subscription holds acknowledgements
     */
    public boolean acknowledgementsWait() {
        return persistence.isActive() || acknowledgementHolders.get() > 0;
    }

    /** @return the {@code SessionOwnership} services (a cluster's), highest ranked first */
    public io.culex.core.internal.extension.ServiceChain<io.culex.api.SessionOwnership> ownership() {
        return extensions.ownership;
    }

    public Persistence persistence() {
        return persistence;
    }

    /** @return what sessions tell the stores (a no-op while none is registered) */
    public SessionChanges sessionChanges() {
        return persistence.changes();
    }

    public BrokerSettings settings() {
        return settings;
    }

    public void updateSettings(BrokerSettings newSettings) {
        settings = newSettings;
        access.requireProviders(newSettings.requiredProviders, newSettings.requiredAuthenticators,
                newSettings.requiredAuthorizers);
    }

    public EventLoops eventLoops() {
        return eventLoops;
    }

    public AccessControl access() {
        return access;
    }

    public EnhancedAuthentication enhancedAuthentication() {
        return enhancedAuthentication;
    }

    public ClientEvents events() {
        return events;
    }

    public SubscriptionTree subscriptions() {
        return subscriptions;
    }

    public RetainedStore retained() {
        return retained;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Stats stats() {
        return stats;
    }

    /** @return the listeners serving now (each adds itself when bound and removes itself when stopped) */
    public java.util.Set<ServingListener> listeners() {
        return listeners;
    }

    /** @return connected clients by client id */
    public ConcurrentHashMap<String, ConnectedClient> connected() {
        return connected;
    }

    public BrokerStatistics statistics() {
        return stats.snapshot(sessions.size(), retained.size(), subscriptions.size(), subscriptions.sharedSize());
    }

    /** {@link #publish} result: an interceptor denied the message. */
    public static final int DENIED = -1;
    /** {@link #publish} result: taken, with no subscriber count to report (dropped by an interceptor, control). */
    public static final int ACCEPTED = Integer.MAX_VALUE;

    /**
     * Publish a message that passed its PUBLISH checks: interceptors, then {@code $CONTROL} hand-off or retained
     * store and routing. Runs on an event loop; the caller keeps its reference to the message.
     *
     * @param message the message
     * @param publisher the publishing client, or {@code null} for the broker
     * @param current the event loop running this call
     * @param source the connection it came from, paused if a subscriber it reaches is congested; {@code null} for
     *     messages that must not be held back (wills, the broker's own)
     * @return how many subscribers it was routed to, {@link #DENIED} or {@link #ACCEPTED}
     */
    public int publish(Message message, ClientInfo publisher, EventLoop current, FlowSource source) {
        return publish(message, publisher, current, source, Steps.ALL);
    }

    /**
     * Which steps of {@link #publish} a message takes: all of them, except for a bundle's message that passed some
     * elsewhere (a cluster node's forwarded or replicated messages, API 1.7).
     */
    public static final class Steps {
        static final Steps ALL = new Steps(true, true, true, null, null, null);

        final boolean intercept;
        final boolean storeRetained;
        final boolean route;
        /** The shared filters whose groups may receive the message; {@code null}: all. */
        final java.util.Set<String> shareGroups;
        /** The client sessions that may receive the message; {@code null}: every subscriber. */
        final java.util.Set<String> recipients;
        /** The client sessions that do not receive the message; {@code null}: none. */
        final java.util.Set<String> excluded;

        public Steps(boolean intercept, boolean storeRetained, boolean route, java.util.Set<String> shareGroups,
                     java.util.Set<String> recipients, java.util.Set<String> excluded) {
            this.excluded = excluded;
            this.intercept = intercept;
            this.storeRetained = storeRetained;
            this.route = route;
            this.shareGroups = shareGroups;
            this.recipients = recipients;
        }
    }

    /** {@link #publish(Message, ClientInfo, EventLoop, FlowSource)}, taking only the given steps. */
    public int publish(Message message, ClientInfo publisher, EventLoop current, FlowSource source, Steps steps) {
        Interception.Outcome outcome = steps.intercept ? interception.apply(publisher, message)
                : Interception.Outcome.unchanged(message);
        if (outcome.verdict != Verdict.CONTINUE) {
            LOG.debug("Message to {} stopped by an interceptor: {}", message.topic(), outcome.verdict);
            return outcome.verdict == Verdict.DENY ? DENIED : ACCEPTED;
        }
        Message m = outcome.message;
        if (m != message) {
            m.settleWith(message.settlement()); // the publisher's acknowledgement waits for the rewritten message
        }
        try {
            String topic = m.topic();
            // As in Mosquitto, clients never publish to $CONTROL subscribers: their messages there are requests.
            // The broker's own messages there (the responses) are routed like any other.
            if (topic.startsWith(Topics.CONTROL_PREFIX) && (publisher != null || topic.endsWith("/v1"))) {
                controls.dispatch(publisher, m);
                return ACCEPTED;
            }
            if (m.isRetain() && steps.storeRetained) {
                if (m.payloadSize() == 0) {
                    retained.remove(topic);
                } else {
                    retained.put(m);
                }
            }
            return steps.route ? router.route(m, current, source, steps.shareGroups, steps.recipients,
                    steps.excluded) : 0;
        } finally {
            if (m != message) {
                m.release();
            }
        }
    }

    /**
     * Publish a client's will: it is a PUBLISH by that client, so it passes the same checks ({@code $SYS} is
     * read-only, the PUBLISH access check). Runs on an event loop; the caller keeps its reference.
     */
    public void publishWill(Message will, ClientInfo client, EventLoop current) {
        if (Topics.isReadOnlyForClients(will.topic())
                || !access.isAllowed(client, io.culex.api.Access.PUBLISH, will.topic(), will.qos(), will.isRetain())) {
            LOG.info("Will of client {} to '{}' denied.", client.clientId(), will.topic());
            return;
        }
        publish(will, client, current, null);
    }

    /**
     * Publish as the broker from any thread: the {@code Broker} service, control responses, wills at shutdown.
     */
    public void publishFromBroker(String topic, byte[] payload, int qos, boolean retain) {
        EventLoop loop = eventLoops.workerFor(null); // one loop: the broker's messages keep their order
        loop.execute(() -> {
            Message m = new Message(topic, Unpooled.wrappedBuffer(payload), qos, retain, null);
            try {
                publish(m, null, loop, null);
            } finally {
                m.release();
            }
        });
    }

    /**
     * Stop: publish the wills of connected clients (the server is closing their connections), close every
     * connection, free the retained messages.
     */
    public void shutdown() {
        for (ConnectedClient connection : connected.values()) {
            connection.loop().execute(connection::kickForShutdown);
        }
        for (io.culex.core.internal.session.Session session : sessions.all()) {
            session.loop().execute(session::shutdown);
        }
        eventLoops.shutdown(2, TimeUnit.SECONDS);
        retained.clear();
    }
}
