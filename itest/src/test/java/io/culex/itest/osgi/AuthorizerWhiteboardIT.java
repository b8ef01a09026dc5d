package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
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

import io.culex.api.Access;
import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Broker;
import io.culex.api.Decision;

/**
 * The whiteboard inside Felix: an Authorizer or Authenticator service registered while clients are connected
 * applies to them from the next event on, and stops applying when it is unregistered.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class AuthorizerWhiteboardIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private Broker broker;

    private int port;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @Configuration
    public Option[] configuration() {
        return CulexContainer.coreBundles();
    }

    @Before
    public void startListener() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", true);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> listener = new Hashtable<>();
        listener.put("port", port);
        listener.put("bind_address", "127.0.0.1");
        configurationAdmin.createFactoryConfiguration("io.culex.core.listener", "?").update(listener);
        awaitListening();
    }

    @After
    public void deleteConfigurations() throws Exception {
        org.osgi.service.cm.Configuration[] ours = configurationAdmin.listConfigurations("(service.pid=io.culex.*)");
        for (org.osgi.service.cm.Configuration c : ours == null ? new org.osgi.service.cm.Configuration[0] : ours) {
            c.delete();
        }
    }

    @Test
    public void authorizerRegisteredAtRuntimeAppliesToConnectedClients() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);

        publish(publisher, "secret/a", "before");
        assertEquals("secret/a before", next());

        Authorizer denySecrets = (client, access, topic, qos, retain) ->
                access == Access.PUBLISH && topic.startsWith("secret/") ? Decision.DENY : Decision.DEFER;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.ranking", 10);
        ServiceRegistration<Authorizer> registration = context.registerService(Authorizer.class, denySecrets, props);
        // the second authorizer allows what the first defers: all-deferred would mean deny
        ServiceRegistration<Authorizer> allowRest = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, new Hashtable<>());

        publish(publisher, "secret/a", "while registered");
        publish(publisher, "public/marker", "after the denied one");
        assertEquals("public/marker after the denied one", next());

        registration.unregister();
        publish(publisher, "secret/a", "after");
        assertEquals("secret/a after", next());
        assertTrue("both clients still connected", watcher.isConnected() && publisher.isConnected());
        allowRest.unregister();
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void allDeferringAuthorizersDeny() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);
        ServiceRegistration<Authorizer> deferAll = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> access == Access.PUBLISH ? Decision.DEFER : Decision.ALLOW,
                new Hashtable<>());
        publish(publisher, "t", "denied");
        deferAll.unregister();
        publish(publisher, "t", "allowed");
        assertEquals("t allowed", next());
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void authenticatorRegisteredAtRuntimeAppliesToTheNextConnect() throws Exception {
        MqttClient before = client("before");
        ServiceRegistration<Authenticator> registration = context.registerService(Authenticator.class,
                request -> CompletableFuture.completedFuture(
                        "alice".equals(request.username()) ? Decision.ALLOW : Decision.DENY), new Hashtable<>());
        try {
            client("rejected");
            throw new AssertionError("a client without the right user name must be refused");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
        }
        MqttConnectOptions alice = connectOptions();
        alice.setUserName("alice");
        alice.setPassword("x".toCharArray());
        MqttClient accepted = new MqttClient("tcp://127.0.0.1:" + port, "alice", new MemoryPersistence());
        accepted.connect(alice);
        assertTrue("connected before registration, still connected", before.isConnected());
        assertEquals(2, broker.clients().size());
        registration.unregister();
        client("after").disconnect();
        accepted.disconnect();
        before.disconnect();
    }

    @Test
    public void requiredProviderMissingFailsClosed() throws Exception {
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", true);
        broker.put("required_providers", new String[] {"acl_file"});
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration("io.culex.core.broker", "?");
        MqttClient early = client("early");
        early.subscribe("#", 1);
        config.update(broker);
        awaitRefusal("refused while the required acl_file provider is missing");

        Hashtable<String, Object> props = new Hashtable<>();
        props.put("culex.provider", "acl_file");
        ServiceRegistration<Authorizer> acl = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, props);
        MqttClient late = client("late");
        publish(late, "t", "allowed");
        assertEquals("t allowed", next());

        acl.unregister();
        publish(late, "t", "denied while the provider is gone");
        assertTrue("connected clients stay connected", early.isConnected() && late.isConnected());
        try {
            client("refused");
            throw new AssertionError("a new client must be refused while the provider is gone");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, e.getReasonCode());
        }
        ServiceRegistration<Authorizer> back = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, props);
        publish(late, "t", "allowed again");
        assertEquals("t allowed again", next());
        back.unregister();
        early.disconnect();
        late.disconnect();
    }

    /** Config Admin delivers asynchronously: wait until a new CONNECT is refused with "server unavailable". */
    private void awaitRefusal(String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                client("probe").disconnect();
            } catch (MqttException e) {
                assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, e.getReasonCode());
                return;
            }
        }
        throw new AssertionError(what);
    }

    private MqttConnectOptions connectOptions() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        return options;
    }

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        c.connect(connectOptions());
        return c;
    }

    private static void publish(MqttClient c, String topic, String text) throws MqttException {
        c.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    private String next() throws InterruptedException {
        String m = received.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the listener did not open port " + port);
    }
}
