package io.culex.core.internal;

import io.culex.core.internal.engine.Engine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Broker;
import io.culex.api.BrokerStatistics;
import io.culex.api.ClientEventListener;
import io.culex.api.SessionOwnership;
import io.culex.api.SubscriptionTableListener;
import io.culex.core.internal.extension.SubscriptionTableEvents;
import io.culex.api.ClientInfo;
import io.culex.api.ControlHandler;
import io.culex.api.EnhancedAuthenticator;
import io.culex.api.ListenerInfo;
import io.culex.api.MessageInterceptor;
import io.culex.api.PublishBuilder;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.api.SubscriptionBuilder;
import io.culex.api.persistence.PersistenceListener;
import io.culex.core.internal.admin.AdminQueries;
import io.culex.core.internal.extension.Extensions;
import io.culex.core.internal.messaging.BundlePublish;
import io.culex.core.internal.messaging.BundleSubscription;
import io.culex.core.internal.messaging.InternalSubscriber;
import io.culex.core.internal.engine.ConnectedClient;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.transport.EventLoops;

/**
 * The broker: starts the engine and its threads and is the whiteboard that tracks every SPI service. It implements
 * {@link Broker}, but bundles get that service from {@link BundleBroker}, one per bundle, which delegates here and
 * ends what the bundle started. Listeners are separate components ({@link ListenerComponent}) bound to this one.
 */
@Component(service = BrokerComponent.class, configurationPid = BrokerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = BrokerConfiguration.class)
public final class BrokerComponent implements Broker {

    public static final String PID = "io.culex.core.broker";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    private final Extensions extensions = new Extensions();
    private volatile Engine engine;

    @Activate
    void activate(Map<String, Object> properties) {
        BrokerSettings settings = BrokerSettings.from(properties);
        int threads = Integer.getInteger("culex.io.threads", 0);
        EventLoops loops = new EventLoops(threads);
        engine = new Engine(settings, extensions, loops);
        engine.persistence().attachNew(); // stores registered before the engine ran
        extensions.subscriptionTables.start(engine.subscriptions(), loops.workerFor(SubscriptionTableEvents.class));
        LOG.info("Culex broker engine started ({} transport, {} I/O threads).", loops.transportName(),
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        engine.updateSettings(BrokerSettings.from(properties));
        LOG.debug("Broker settings updated");
    }

    @Deactivate
    void deactivate() {
        Engine e = engine;
        engine = null;
        if (e != null) {
            extensions.subscriptionTables.stop();
            e.shutdown();
            LOG.info("Culex broker engine stopped.");
        }
    }

    /** @return the running engine, for the listeners */
    Engine engine() {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return e;
    }

    // ---------------------------------------------------------------- the whiteboard

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthenticator(ServiceReference<Authenticator> ref, Authenticator service) {
        extensions.authenticators.add(ref, service);
    }

    void updatedAuthenticator(ServiceReference<Authenticator> ref) {
        extensions.authenticators.update(ref);
    }

    void unbindAuthenticator(ServiceReference<Authenticator> ref) {
        extensions.authenticators.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEnhancedAuthenticator(ServiceReference<EnhancedAuthenticator> ref, EnhancedAuthenticator service) {
        extensions.enhancedAuthenticators.add(ref, service);
    }

    void updatedEnhancedAuthenticator(ServiceReference<EnhancedAuthenticator> ref) {
        // the method property may have changed too: it is read from the reference at each CONNECT
        extensions.enhancedAuthenticators.update(ref);
    }

    void unbindEnhancedAuthenticator(ServiceReference<EnhancedAuthenticator> ref) {
        extensions.enhancedAuthenticators.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAuthorizer(ServiceReference<Authorizer> ref, Authorizer service) {
        extensions.authorizers.add(ref, service);
    }

    void updatedAuthorizer(ServiceReference<Authorizer> ref) {
        extensions.authorizers.update(ref);
    }

    void unbindAuthorizer(ServiceReference<Authorizer> ref) {
        extensions.authorizers.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMessageInterceptor(ServiceReference<MessageInterceptor> ref, MessageInterceptor service) {
        extensions.interceptors.add(ref, service);
    }

    void updatedMessageInterceptor(ServiceReference<MessageInterceptor> ref) {
        extensions.interceptors.update(ref);
    }

    void unbindMessageInterceptor(ServiceReference<MessageInterceptor> ref) {
        extensions.interceptors.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindControlHandler(ServiceReference<ControlHandler> ref, ControlHandler service) {
        extensions.controlHandlers.add(ref, service);
    }

    void updatedControlHandler(ServiceReference<ControlHandler> ref) {
        extensions.controlHandlers.update(ref);
    }

    void unbindControlHandler(ServiceReference<ControlHandler> ref) {
        extensions.controlHandlers.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindClientEventListener(ServiceReference<ClientEventListener> ref, ClientEventListener service) {
        extensions.eventListeners.add(ref, service);
    }

    void updatedClientEventListener(ServiceReference<ClientEventListener> ref) {
        extensions.eventListeners.update(ref);
    }

    void unbindClientEventListener(ServiceReference<ClientEventListener> ref) {
        extensions.eventListeners.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPersistenceListener(ServiceReference<PersistenceListener> ref, PersistenceListener service) {
        extensions.stores.add(ref, service);
        Engine e = engine;
        if (e != null) {
            e.persistence().attachNew();
        }
    }

    void updatedPersistenceListener(ServiceReference<PersistenceListener> ref) {
        extensions.stores.update(ref);
    }

    void unbindPersistenceListener(ServiceReference<PersistenceListener> ref) {
        extensions.stores.remove(ref);
        Engine e = engine;
        if (e != null) {
            e.persistence().detached(ref);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSubscriptionTableListener(ServiceReference<SubscriptionTableListener> ref,
            SubscriptionTableListener service) {
        Bundle bundle = ref.getBundle();
        extensions.subscriptionTables.add(ref, bundle == null ? "?" : bundle.getSymbolicName(), service);
    }

    void unbindSubscriptionTableListener(ServiceReference<SubscriptionTableListener> ref) {
        extensions.subscriptionTables.remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSessionOwnership(ServiceReference<SessionOwnership> ref, SessionOwnership service) {
        extensions.ownership.add(ref, service);
    }

    void updatedSessionOwnership(ServiceReference<SessionOwnership> ref) {
        extensions.ownership.update(ref);
    }

    void unbindSessionOwnership(ServiceReference<SessionOwnership> ref) {
        extensions.ownership.remove(ref);
    }

    // ---------------------------------------------------------------- Broker

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain) {
        if (topic == null || !Topics.isValidTopicName(topic)) {
            throw new IllegalArgumentException("not a valid topic name: " + topic);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2: " + qos);
        }
        engine().publishFromBroker(topic, payload.clone(), qos, retain);
    }

    @Override
    public PublishBuilder newMessage(String topic) {
        return new BundlePublish(engine(), topic);
    }

    @Override
    public SubscriptionBuilder newSubscription(String filter) {
        return newSubscription(filter, subscriber -> { });
    }

    /** @param onOpen told of the subscription once it runs (the owner that closes it with its bundle) */
    SubscriptionBuilder newSubscription(String filter, java.util.function.Consumer<InternalSubscriber> onOpen) {
        return new BundleSubscription(engine(), filter, onOpen);
    }

    @Override
    public java.util.concurrent.CompletionStage<java.util.Set<String>> importSessions(
            java.util.function.Consumer<io.culex.api.persistence.Restorer> records) {
        return engine().persistence().importSessions(records);
    }

    @Override
    public java.util.concurrent.CompletionStage<Boolean> releaseSession(String clientId) {
        return engine().sessions().release(Objects.requireNonNull(clientId, "clientId"));
    }

    @Override
    public boolean disconnectClient(String clientId) {
        ConnectedClient connection = engine().connected().get(clientId);
        if (connection == null) {
            return false;
        }
        connection.loop().execute(() -> connection.kick("disconnected by the broker", true));
        return true;
    }

    @Override
    public int disconnectClientsByUsername(String username) {
        return kickClientsByUsername(Objects.requireNonNull(username, "username"), true);
    }

    @Override
    public int kickClientsByUsername(String username, boolean publishWill) {
        int count = 0;
        for (ConnectedClient connection : engine().connected().values()) {
            ClientInfo client = connection.client();
            if (client != null && Objects.equals(username, client.username())) {
                connection.loop().execute(
                        () -> connection.kick("disconnected by the broker", publishWill));
                count++;
            }
        }
        return count;
    }

    @Override
    public Optional<ClientInfo> client(String clientId) {
        ConnectedClient connection = engine().connected().get(clientId);
        return connection == null ? Optional.empty() : Optional.ofNullable(connection.client());
    }

    @Override
    public List<ClientInfo> clients() {
        List<ClientInfo> result = new ArrayList<>();
        for (ConnectedClient connection : engine().connected().values()) {
            ClientInfo client = connection.client();
            if (client != null) {
                result.add(client);
            }
        }
        return Collections.unmodifiableList(result);
    }

    @Override
    public Map<String, Integer> subscriptions(String clientId) {
        Session session = engine().sessions().get(clientId);
        return session == null ? Map.of() : Collections.unmodifiableMap(session.subscriptionSnapshot());
    }

    @Override
    public java.util.concurrent.CompletionStage<List<SessionInfo>> sessions() {
        return AdminQueries.sessions(engine());
    }

    @Override
    public List<RetainedMessage> retainedMessages(String filter, int limit) {
        return AdminQueries.retained(engine(), filter, limit);
    }

    @Override
    public List<ListenerInfo> listeners() {
        return AdminQueries.listeners(engine());
    }

    @Override
    public BrokerStatistics statistics() {
        return engine().statistics();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return engine().eventLoops().workers().next().schedule(guarded(task), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return engine().eventLoops().workers().next().scheduleAtFixedRate(guarded(task), initialDelay, period,
                unit);
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Scheduled task {} failed: {}", task, e.toString(), e);
            }
        };
    }
}
