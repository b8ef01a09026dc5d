package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
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
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The persistence bundle installed and removed while the broker runs: turning it on writes what the broker holds
 * (a client's offline session with its subscription and queued messages) to disk; stopping it writes a final
 * snapshot, and the broker goes on in memory with the session intact.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PersistenceBundleLifecycleIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()),
                org.ops4j.pax.exam.CoreOptions.bundle(CulexContainer.reactorJar("culex.persistence.jar")));
    }

    @After
    public void deleteConfigurations() throws Exception {
        CulexContainer.deleteCulexConfigurations(configurationAdmin);
    }

    @Test
    public void aStoreTurnedOnAtRunTimeWritesTheRunningStateAndStoppingItKeepsTheBrokerGoing() throws Exception {
        MqttProbe mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        MqttConnectOptions persistent = mqtt.options();
        persistent.setCleanSession(false);
        MqttClient keeper = mqtt.client("hot-keeper", persistent);
        keeper.subscribe("hot/#", 1);
        keeper.disconnect();
        keeper.close();
        MqttClient publisher = mqtt.client("hot-publisher");
        for (int i = 0; i < 3; i++) {
            MqttProbe.publish(publisher, "hot/x", "queued-" + i);
        }

        Path location = Files.createTempDirectory("culex-store-");
        Dictionary<String, Object> store = new Hashtable<>();
        store.put("persistence", true);
        store.put("persistence_location", location.toString());
        configurationAdmin.getConfiguration("io.culex.persistence", "?").update(store);
        Path log = location.resolve("culex.db.log");
        assertTrue("the running state reaches the log", awaitContains(log, "hot-keeper", "hot/#", "queued-2"));

        Bundle persistence = bundle("io.culex.persistence");
        persistence.stop();
        assertTrue("a final snapshot when the store stops",
                awaitContains(location.resolve("culex.db"), "hot-keeper", "hot/#", "queued-0"));

        MqttProbe.publish(publisher, "hot/x", "after the store left");
        keeper = mqtt.client("hot-keeper", persistent);
        for (int i = 0; i < 3; i++) {
            assertEquals("hot/x queued-" + i, mqtt.next());
        }
        assertEquals("hot/x after the store left", mqtt.next());
        keeper.disconnect();
        publisher.disconnect();
        persistence.start();
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static boolean awaitContains(Path file, String... texts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                boolean all = true;
                for (String t : texts) {
                    all &= content.contains(t);
                }
                if (all) {
                    return true;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }
}
