package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;
import io.culex.api.persistence.Restorer;

/**
 * The persistence SPI inside Felix: with {@code persistence true} the listeners stay closed until a
 * {@link PersistenceListener} service has restored the broker's state; the restored session is then there for its
 * client; the store hears the changes; and when the store goes away the broker goes on in memory.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PersistenceWhiteboardIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return CulexContainer.coreBundles();
    }

    /** A store that holds one offline session, "keeper", subscribed to kept/# with one queued message. */
    private static final class OneSessionStore implements PersistenceListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> restore(Restorer restorer) {
            restorer.session(new PersistedSession("keeper", null, null, ProtocolVersion.MQTT_3_1_1,
                    PersistedSession.NEVER_EXPIRES, System.currentTimeMillis(), null, 0));
            restorer.subscription("keeper", new PersistedSubscription("kept/#", 1, false, false, 0, 0));
            restorer.outgoing("keeper", new PersistedOutgoing(1, 42, 1, false, new int[0],
                    PersistedOutgoing.State.QUEUED, 0), PersistedMessage.of(42, "kept/a",
                    "from the store".getBytes(StandardCharsets.UTF_8), 1, false, "someone", new byte[0],
                    PersistedMessage.NEVER_EXPIRES));
            return CompletableFuture.completedFuture(null);
        }

        @Override public void sessionSaved(PersistedSession session) { events.add("sessionSaved " + session.clientId()); }
        @Override public void sessionRemoved(String clientId) { events.add("sessionRemoved " + clientId); }
        @Override public void subscriptionAdded(String clientId, PersistedSubscription s) { events.add("subscriptionAdded " + clientId); }
        @Override public void subscriptionRemoved(String clientId, String filter) { events.add("subscriptionRemoved " + clientId); }
        @Override public void outgoingAdded(String clientId, PersistedOutgoing e, PersistedMessage m) { events.add("outgoingAdded " + clientId); }
        @Override public void outgoingUpdated(String clientId, PersistedOutgoing e) { events.add("outgoingUpdated " + clientId + " " + e.state()); }
        @Override public void outgoingRemoved(String clientId, long entryId) { events.add("outgoingRemoved " + clientId); }
        @Override public void incomingQos2Added(String clientId, int packetId) { events.add("incomingQos2Added " + clientId); }
        @Override public void incomingQos2Removed(String clientId, int packetId) { events.add("incomingQos2Removed " + clientId); }
        @Override public void retainedSet(PersistedMessage message) { events.add("retainedSet " + message.topic()); }
        @Override public void retainedCleared(String topic) { events.add("retainedCleared " + topic); }

        @Override
        public CompletionStage<Void> sync() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @After
    public void deleteConfigurations() throws Exception {
        CulexContainer.deleteCulexConfigurations(configurationAdmin);
    }

    @Test
    public void listenersOpenOnlyOnceAStoreRestoredAndTheRestoredSessionIsThere() throws Exception {
        Dictionary<String, Object> brokerSettings = new Hashtable<>();
        brokerSettings.put("allow_anonymous", true);
        brokerSettings.put("persistence", true);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(brokerSettings);
        awaitBrokerSetting("persistence", Boolean.TRUE);
        MqttProbe mqtt = new MqttProbe();
        mqtt.configureListener(configurationAdmin);
        awaitListenerComponent();
        assertFalse("no store has restored: the listener is closed", accepts(mqtt.port()));

        OneSessionStore store = new OneSessionStore();
        ServiceRegistration<PersistenceListener> registration =
                context.registerService(PersistenceListener.class, store, new Hashtable<>());
        mqtt.awaitListening();

        MqttConnectOptions persistent = mqtt.options();
        persistent.setCleanSession(false);
        MqttClient keeper = mqtt.client("keeper", persistent);
        assertEquals("kept/a from the store", mqtt.next());
        assertTrue("the store hears of the reconnection", await(() -> store.events.contains("sessionSaved keeper")));

        registration.unregister();
        MqttClient publisher = mqtt.client("publisher");
        int heard = store.events.size();
        MqttProbe.publish(publisher, "kept/b", "in memory");
        assertEquals("the broker goes on without its store", "kept/b in memory", mqtt.next());
        assertEquals("nothing reaches an unregistered store", heard, store.events.size());
        keeper.disconnect();
        publisher.disconnect();
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private ServiceComponentRuntime scr() throws InterruptedException {
        ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> tracker =
                new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        tracker.open();
        try {
            return tracker.waitForService(10_000);
        } finally {
            tracker.close();
        }
    }

    /** Config Admin delivers asynchronously: wait until the broker component runs with the setting. */
    private void awaitBrokerSetting(String key, Object value) throws InterruptedException {
        ServiceComponentRuntime scr = scr();
        assertTrue("the broker component has " + key + "=" + value, await(() -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (d.name.endsWith("BrokerComponent")) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (value.equals(c.properties.get(key))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }));
    }

    /** Wait until the listener component exists (it then waits for the store). */
    private void awaitListenerComponent() throws InterruptedException {
        ServiceComponentRuntime scr = scr();
        assertTrue("the listener component is active", await(() -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (d.name.endsWith("ListenerComponent")) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        if (c.state == ComponentConfigurationDTO.ACTIVE) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }));
    }
}
