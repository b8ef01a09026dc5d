package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.culex.bridge.BridgeState;
import io.culex.bridge.BridgeStatus;
import io.culex.itest.blackbox.MosquittoBroker;
import io.culex.itest.blackbox.MosquittoTools;

/**
 * The real bridge bundle in Felix, driven through Config Admin (as the web console would) against a real Mosquitto:
 * a factory configuration starts a bridge, whose state the {@link BridgeStatus} service shows; changing it restarts
 * the bridge with the new topics; stopping and starting the bundle, and deleting the configuration, stop the bridge
 * while a local client stays connected.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BridgeBundleLifecycleIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()), bundle(CulexContainer.reactorJar("culex.bridge.jar")));
    }

    @Test
    public void aBridgeComesGoesAndChangesThroughConfigAdminWithItsStateAsAService() throws Exception {
        MqttProbe mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        int remotePort = new MqttProbe().port();
        Path dir = Files.createTempDirectory("culex-bridge-it");
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, MosquittoBroker.userLine() + "listener " + remotePort
                + " 127.0.0.1\nallow_anonymous true\n");
        ServiceTracker<BridgeStatus, BridgeStatus> bridges = new ServiceTracker<>(context, BridgeStatus.class, null);
        bridges.open();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(conf, remotePort)) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            MqttClient local = mqtt.client("bystander", mqtt.options(), received);
            local.subscribe("cm/#", 1);
            local.subscribe("cm2/#", 1);

            org.osgi.service.cm.Configuration bridge =
                    configurationAdmin.createFactoryConfiguration("io.culex.bridge", "?");
            bridge.update(bridgeProperties(remotePort, "cm/# both 1"));
            BridgeStatus status = awaitConnected(bridges, null);
            assertEquals("cm", status.name());

            assertEquals(0, MosquittoTools.pub(remotePort, "-q", "1", "-t", "cm/in", "-m", "from-mosquitto").exitCode);
            assertEquals("cm/in from-mosquitto", MqttProbe.next(received));
            try (MosquittoTools.Sub remote = MosquittoTools.sub(remotePort, "-q", "1", "-t", "cm/#", "-t", "cm2/#")) {
                MqttProbe.publish(local, "cm/out", "from-culex");
                assertEquals("cm/out 1 0 from-culex", remote.next());
                assertEquals("cm/out from-culex", MqttProbe.next(received));
                BridgeState state = status.state();
                assertEquals("127.0.0.1:" + remotePort, state.address());
                assertEquals("cm-bridge", state.remoteClientId());
                assertNotNull(state.since());
                assertTrue(state.toString(), state.messagesSent() >= 1 && state.messagesReceived() >= 1);

                // a change restarts the bridge with the new topics
                bridge.update(bridgeProperties(remotePort, "cm2/# both 1"));
                BridgeStatus changed = awaitConnected(bridges, status);
                MqttProbe.publish(local, "cm/not-bridged", "stays");
                assertEquals("cm/not-bridged stays", MqttProbe.next(received));
                MqttProbe.publish(local, "cm2/out", "after the change");
                assertEquals("cm/not-bridged did not cross", "cm2/out 1 0 after the change", remote.next());
                assertEquals("cm2/out after the change", MqttProbe.next(received));

                // the bundle stopped: the bridge closes (its will tells the remote side), the local client stays
                Bundle bridgeBundle = bundleNamed("io.culex.bridge");
                bridgeBundle.stop();
                assertNull("no bridge service without the bundle", bridges.getService());
                awaitRemoteState(remotePort, "0");
                assertTrue(local.isConnected());
                MqttProbe.publish(local, "cm2/local", "bundle stopped");
                assertEquals("cm2/local bundle stopped", MqttProbe.next(received));

                bridgeBundle.start();
                awaitConnected(bridges, changed);
                MqttProbe.publish(local, "cm2/again", "bundle started");
                assertEquals("bridged again; cm2/local, published while the bundle was stopped, had no bridge to cross",
                        "cm2/again 1 0 bundle started", remote.next());
                assertEquals("cm2/again bundle started", MqttProbe.next(received));

                // the configuration deleted: the bridge stops and its service goes
                bridge.delete();
                awaitRemoteState(remotePort, "0");
                assertNull(bridges.getService());
                assertTrue(local.isConnected());
            }
        } finally {
            bridges.close();
        }
    }

    private static Dictionary<String, Object> bridgeProperties(int remotePort, String topic) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("connection", "cm");
        properties.put("address", new String[] {"127.0.0.1:" + remotePort});
        properties.put("topic", new String[] {topic});
        properties.put("remote_clientid", "cm-bridge");
        properties.put("restart_timeout", new Integer[] {1});
        return properties;
    }

    /** Waits for a connected bridge service other than {@code previous}. */
    private static BridgeStatus awaitConnected(ServiceTracker<BridgeStatus, BridgeStatus> bridges,
            BridgeStatus previous) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            BridgeStatus status = bridges.getService();
            if (status != null && status != previous && status.state().connected()) {
                return status;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no connected bridge within 20 s");
    }

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Waits until the bridge's retained state on the remote broker is the value (its will, for "0"). */
    private static void awaitRemoteState(int remotePort, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = null;
        while (System.nanoTime() < deadline) {
            MosquittoTools.Result result = MosquittoTools.run("mosquitto_sub", remotePort, "-t",
                    "$SYS/broker/connection/cm-bridge/state", "-C", "1", "-W", "2", "-F", "%p");
            last = result.toString();
            if (result.exitCode == 0 && result.output.trim().equals(value)) {
                return;
            }
        }
        throw new AssertionError("remote state never became " + value + "; last: " + last);
    }
}
