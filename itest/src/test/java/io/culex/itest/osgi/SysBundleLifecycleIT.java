package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.After;
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

import io.culex.api.Broker;
import io.culex.api.RetainedMessage;

/**
 * The $SYS bundle installed, reconfigured, stopped, started and uninstalled at run time with a client subscribed:
 * its interval changes without a restart, and the retained tree goes with the bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SysBundleLifecycleIT {

    private static final String VERSION = "9.9.9-test";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private Broker broker;

    private MqttClient watcher;

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()), frameworkProperty("culex.version").value(VERSION));
    }

    @After
    public void closeClient() throws Exception {
        if (watcher != null && watcher.isConnected()) {
            watcher.disconnect();
        }
    }

    @Test
    public void theTreeFollowsItsConfigurationAndLeavesWithItsBundle() throws Exception {
        MqttProbe mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        BlockingQueue<String> sys = new LinkedBlockingQueue<>();
        watcher = mqtt.client("sys-watcher", mqtt.options(), sys);
        watcher.subscribe("$SYS/broker/version", 1);
        watcher.subscribe("$SYS/broker/uptime", 1);

        // ------------------------------------------------ installed without configuration: Mosquitto's default, 10 s
        Bundle bundle = context.installBundle(CulexContainer.reactorJar("culex.sys.jar"));
        bundle.start();
        assertEquals("$SYS/broker/version culex version " + VERSION, MqttProbe.next(sys));
        assertTrue(MqttProbe.next(sys).matches("\\$SYS/broker/uptime \\d+ seconds"));

        // ------------------------------------------------ sys_interval 1 applies at once, without a second version
        Dictionary<String, Object> sysConfig = new Hashtable<>();
        sysConfig.put("sys_interval", 1);
        configurationAdmin.getConfiguration("io.culex.sys", "?").update(sysConfig);
        // at 10 s, three updates would take 30 s; at 1 s they come within the 10 s MqttProbe.next waits for each
        for (int i = 0; i < 3; i++) {
            assertTrue(MqttProbe.next(sys).startsWith("$SYS/broker/uptime "));
        }
        assertTrue(retained("$SYS/#").size() > 50);

        // ------------------------------------------------ stopped: the retained tree is cleared
        bundle.stop();
        await("no retained $SYS message", () -> retained("$SYS/#").isEmpty());

        // ------------------------------------------------ started again: published anew (its configuration kept)
        bundle.start();
        await("the version retained again", () -> retained("$SYS/broker/version").size() == 1);
        assertEquals("culex version " + VERSION, new String(retained("$SYS/broker/version").get(0).payload(),
                java.nio.charset.StandardCharsets.UTF_8));

        // ------------------------------------------------ uninstalled: cleared, and nothing comes any more
        bundle.uninstall();
        await("no retained $SYS message", () -> retained("$SYS/#").isEmpty());
        configurationAdmin.getConfiguration("io.culex.sys", "?").delete();
    }

    private List<RetainedMessage> retained(String filter) {
        return broker.retainedMessages(filter, 1000);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never: " + what);
            }
            Thread.sleep(20);
        }
    }
}
