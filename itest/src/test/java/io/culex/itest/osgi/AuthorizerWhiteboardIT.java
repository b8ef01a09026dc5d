package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
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

    private MqttProbe mqtt;

    @Configuration
    public Option[] configuration() {
        return CulexContainer.coreBundles();
    }

    @Before
    public void startListener() throws Exception {
        mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);
    }

    @After
    public void deleteConfigurations() throws Exception {
        CulexContainer.deleteCulexConfigurations(configurationAdmin);
    }

    @Test
    public void authorizerRegisteredAtRuntimeAppliesToConnectedClients() throws Exception {
        MqttClient watcher = mqtt.client("watcher");
        MqttClient publisher = mqtt.client("publisher");
        watcher.subscribe("#", 1);

        MqttProbe.publish(publisher, "secret/a", "before");
        assertEquals("secret/a before", mqtt.next());

        Authorizer denySecrets = (client, access, topic, qos, retain) ->
                access == Access.PUBLISH && topic.startsWith("secret/") ? Decision.DENY : Decision.DEFER;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.ranking", 10);
        ServiceRegistration<Authorizer> registration = context.registerService(Authorizer.class, denySecrets, props);
        // the second authorizer allows what the first defers: all-deferred would mean deny
        ServiceRegistration<Authorizer> allowRest = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, new Hashtable<>());

        MqttProbe.publish(publisher, "secret/a", "while registered");
        MqttProbe.publish(publisher, "public/marker", "after the denied one");
        assertEquals("public/marker after the denied one", mqtt.next());
        assertNull("the denied message does not come late either", mqtt.poll(300));

        registration.unregister();
        MqttProbe.publish(publisher, "secret/a", "after");
        assertEquals("secret/a after", mqtt.next());
        assertTrue("both clients still connected", watcher.isConnected() && publisher.isConnected());
        allowRest.unregister();
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void allDeferringAuthorizersDeny() throws Exception {
        MqttClient watcher = mqtt.client("watcher");
        MqttClient publisher = mqtt.client("publisher");
        watcher.subscribe("#", 1);
        ServiceRegistration<Authorizer> deferAll = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> access == Access.PUBLISH ? Decision.DEFER : Decision.ALLOW,
                new Hashtable<>());
        MqttProbe.publish(publisher, "t", "denied");
        deferAll.unregister();
        MqttProbe.publish(publisher, "t", "allowed");
        assertEquals("t allowed", mqtt.next());
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void authenticatorRegisteredAtRuntimeAppliesToTheNextConnect() throws Exception {
        MqttClient before = mqtt.client("before");
        ServiceRegistration<Authenticator> registration = context.registerService(Authenticator.class,
                request -> CompletableFuture.completedFuture(
                        "alice".equals(request.username()) ? Decision.ALLOW : Decision.DENY), new Hashtable<>());
        try {
            mqtt.client("rejected");
            throw new AssertionError("a client without the right user name must be refused");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
        }
        MqttConnectOptions alice = mqtt.options();
        alice.setUserName("alice");
        alice.setPassword("x".toCharArray());
        MqttClient accepted = new MqttClient("tcp://127.0.0.1:" + mqtt.port(), "alice", new MemoryPersistence());
        accepted.connect(alice);
        assertTrue("connected before registration, still connected", before.isConnected());
        assertEquals(2, broker.clients().size());
        registration.unregister();
        mqtt.client("after").disconnect();
        accepted.disconnect();
        before.disconnect();
    }

    @Test
    public void requiredProviderMissingFailsClosed() throws Exception {
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", true);
        broker.put("required_providers", new String[] {"acl_file"});
        org.osgi.service.cm.Configuration config = configurationAdmin.getConfiguration("io.culex.core.broker", "?");
        MqttClient early = mqtt.client("early");
        early.subscribe("#", 1);
        config.update(broker);
        awaitRefusal("refused while the required acl_file provider is missing");

        Hashtable<String, Object> props = new Hashtable<>();
        props.put("culex.provider", "acl_file");
        ServiceRegistration<Authorizer> acl = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, props);
        MqttClient late = mqtt.client("late");
        MqttProbe.publish(late, "t", "allowed");
        assertEquals("t allowed", mqtt.next());

        acl.unregister();
        MqttProbe.publish(late, "t", "denied while the provider is gone");
        assertTrue("connected clients stay connected", early.isConnected() && late.isConnected());
        try {
            mqtt.client("refused");
            throw new AssertionError("a new client must be refused while the provider is gone");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, e.getReasonCode());
        }
        ServiceRegistration<Authorizer> back = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> Decision.ALLOW, props);
        MqttProbe.publish(late, "t", "allowed again");
        assertEquals("t allowed again", mqtt.next());
        back.unregister();
        early.disconnect();
        late.disconnect();
    }

    /** Config Admin delivers asynchronously: wait until a new CONNECT is refused with "server unavailable". */
    private void awaitRefusal(String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                mqtt.client("probe").disconnect();
            } catch (MqttException e) {
                assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, e.getReasonCode());
                return;
            }
        }
        throw new AssertionError(what);
    }
}
