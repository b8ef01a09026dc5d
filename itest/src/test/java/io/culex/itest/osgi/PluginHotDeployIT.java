package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;

/**
 * The sample plugins installed, updated and uninstalled inside Felix while real MQTT clients stay connected; a
 * {@code plugin} line (the io.culex.plugins factory configuration) with {@code plugin_opt_*} options; plugins that
 * throw fail closed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PluginHotDeployIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private int port;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Set<String> lostConnections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Configuration
    public Option[] configuration() {
        return new Option[] {
            composite(CulexContainer.coreBundles()),
            // io.culex.plugins reports non-bundle jars through FileInstall's ArtifactInstaller
            frameworkProperty("felix.fileinstall.dir").value(new File("target/paxexam-plugins").getAbsolutePath()),
            mavenBundle("org.apache.felix", "org.apache.felix.fileinstall", "3.7.4"),
            bundle(CulexContainer.reactorJar("culex.plugins.jar")),
        };
    }

    private static String jarUri(String property) {
        return CulexContainer.reactorJar(property);
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
        org.osgi.service.cm.Configuration[] all = configurationAdmin.listConfigurations(null);
        for (org.osgi.service.cm.Configuration c : all == null ? new org.osgi.service.cm.Configuration[0] : all) {
            c.delete();
        }
    }

    @Test
    public void topicRewriterInstalledUpdatedReconfiguredAndUninstalledWhileClientsStayConnected() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);
        publish(publisher, "legacy/kitchen", "before");
        assertEquals("legacy/kitchen before", next());

        Bundle plugin = context.installBundle(jarUri("culex.sample.topic-modification.jar"));
        plugin.start();
        // the interceptor is registered while start() runs (DS), so the very next message is rewritten
        publish(publisher, "legacy/kitchen", "installed");
        assertEquals("devices/kitchen installed", next());

        // update in place while QoS 1 messages keep coming: each arrives exactly once, rewritten or not
        int count = 200;
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    publish(publisher, "legacy/stream", Integer.toString(i));
                }
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        });
        plugin.update();
        stream.get(30, TimeUnit.SECONDS);
        Set<String> payloads = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String message = next();
            assertTrue(message, message.startsWith("devices/stream ") || message.startsWith("legacy/stream "));
            assertTrue("duplicate " + message, payloads.add(message.substring(message.indexOf(' ') + 1)));
        }
        assertEquals(Bundle.ACTIVE, plugin.getState());

        // new configuration: the next message follows it (Config Admin delivers asynchronously)
        Dictionary<String, Object> rule = new Hashtable<>();
        rule.put("from", "legacy/");
        rule.put("to", "v2/");
        configurationAdmin.getConfiguration("io.culex.sample.topicmodification", "?").update(rule);
        awaitDelivery(publisher, "legacy/kitchen", m -> m.startsWith("v2/kitchen "));

        plugin.uninstall();
        publish(publisher, "legacy/kitchen", "uninstalled");
        assertEquals("legacy/kitchen uninstalled", next());
        assertTrue("no client lost its connection: " + lostConnections,
                lostConnections.isEmpty() && watcher.isConnected() && publisher.isConnected());
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void updatingAPluginWithNewCodeChangesItsBehaviourWithClientsConnected() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);
        // version 1: a payload stamper
        Bundle plugin = context.installBundle("culex-test:plugin-under-update",
                new java.io.FileInputStream(new java.io.File(System.getProperty("culex.sample.message-timestamp.jar"))));
        plugin.start();
        publish(publisher, "legacy/kitchen", "v1");
        String stamped = next();
        assertTrue(stamped, stamped.startsWith("legacy/kitchen ") && stamped.endsWith(" v1")
                && !stamped.equals("legacy/kitchen v1"));

        // version 2, other code in the same bundle (same location): a topic rewriter
        plugin.update(new java.io.FileInputStream(
                new java.io.File(System.getProperty("culex.sample.topic-modification.jar"))));
        awaitDelivery(publisher, "legacy/kitchen", m -> m.equals("devices/kitchen probe"));
        assertEquals(Bundle.ACTIVE, plugin.getState());
        plugin.uninstall();
        // drop the old revision too, so that later tests see no trace of version 1
        java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
        context.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class)
                .refreshBundles(null, event -> refreshed.countDown());
        assertTrue(refreshed.await(10, TimeUnit.SECONDS));
        publish(publisher, "legacy/kitchen", "gone");
        assertEquals("legacy/kitchen gone", next());
        assertTrue("no client lost its connection: " + lostConnections,
                lostConnections.isEmpty() && watcher.isConnected() && publisher.isConnected());
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void pluginLineInstallsTheJarAndDeliversItsOptions() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);

        Dictionary<String, Object> line = new Hashtable<>();
        line.put("plugin", System.getProperty("culex.sample.message-timestamp.jar"));
        line.put("plugin_opt_topics", "stamped/#");
        line.put("plugin_opt_format", "millis");
        line.put("culex.source", "culex.conf:7");
        org.osgi.service.cm.Configuration pluginLine =
                configurationAdmin.createFactoryConfiguration("io.culex.plugins", "?");
        pluginLine.update(line);
        awaitDelivery(publisher, "stamped/a", m -> m.matches("stamped/a \\d{13} probe"));
        publish(publisher, "plain/a", "untouched");
        assertEquals("only the configured topics are stamped", "plain/a untouched", next());

        java.util.concurrent.CountDownLatch uninstalled = new java.util.concurrent.CountDownLatch(1);
        org.osgi.framework.BundleListener listener = event -> {
            if (event.getType() == org.osgi.framework.BundleEvent.UNINSTALLED
                    && "io.culex.sample.messagetimestamp".equals(event.getBundle().getSymbolicName())) {
                uninstalled.countDown();
            }
        };
        context.addBundleListener(listener);
        pluginLine.delete(); // the line removed from culex.conf: the jar is uninstalled
        assertTrue("the plugin's bundle is uninstalled", uninstalled.await(10, TimeUnit.SECONDS));
        context.removeBundleListener(listener);
        awaitDelivery(publisher, "stamped/a", m -> m.equals("stamped/a probe"));
        assertNull("the plugin's bundle is gone", installedBundle("io.culex.sample.messagetimestamp"));
        assertTrue(watcher.isConnected() && publisher.isConnected() && lostConnections.isEmpty());
        watcher.disconnect();
        publisher.disconnect();
    }

    @Test
    public void authByIpAppliesToTheNextConnectAndConnectedClientsStay() throws Exception {
        MqttClient before = client("before");
        Dictionary<String, Object> ranges = new Hashtable<>();
        ranges.put("ranges", "10.0.0.0/8");
        configurationAdmin.getConfiguration("io.culex.sample.authbyip", "?").update(ranges);
        Bundle plugin = context.installBundle(jarUri("culex.sample.auth-by-ip.jar"));
        plugin.start();
        awaitConnectRefused();
        assertTrue("connected before the plugin, still connected", before.isConnected());

        plugin.uninstall();
        client("after").disconnect();
        assertTrue(before.isConnected() && lostConnections.isEmpty());
        before.disconnect();
    }

    @Test
    public void throwingPluginsFailClosedAndTheBrokerServesOn() throws Exception {
        MqttClient watcher = client("watcher");
        MqttClient publisher = client("publisher");
        watcher.subscribe("#", 1);
        ServiceRegistration<Authorizer> throwingAcl = context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> {
                    throw new IllegalStateException("plugin bug");
                }, new Hashtable<>());
        ServiceRegistration<Authenticator> throwingAuth = context.registerService(Authenticator.class,
                request -> {
                    throw new IllegalStateException("plugin bug");
                }, new Hashtable<>());
        publish(publisher, "t", "denied: the authorizer threw");
        try {
            client("refused");
            throw new AssertionError("a throwing authenticator must refuse the client");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
        }
        throwingAcl.unregister();
        throwingAuth.unregister();
        publish(publisher, "t", "allowed again");
        assertEquals("the denied message was never delivered", "t allowed again", next());
        assertTrue(watcher.isConnected() && publisher.isConnected() && lostConnections.isEmpty());
        client("after").disconnect();
        watcher.disconnect();
        publisher.disconnect();
    }

    private Bundle installedBundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /**
     * Publishes probes until one arrives as expected: used where the change travels through Config Admin, which
     * delivers on its own thread. Probes that arrive before the change are consumed and ignored.
     */
    private void awaitDelivery(MqttClient publisher, String topic, Predicate<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            publish(publisher, topic, "probe");
            String message = next();
            if (expected.test(message)) {
                received.clear();
                return;
            }
        }
        throw new AssertionError("the expected delivery on " + topic + " never came");
    }

    private void awaitConnectRefused() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                client("probe").disconnect();
            } catch (MqttException e) {
                assertEquals(MqttException.REASON_CODE_NOT_AUTHORIZED, e.getReasonCode());
                return;
            }
        }
        throw new AssertionError("new clients are still let in");
    }

    private MqttClient client(String id) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lostConnections.add(id);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        c.connect(options);
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
