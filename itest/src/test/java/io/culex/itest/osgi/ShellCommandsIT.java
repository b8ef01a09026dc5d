package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
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

/**
 * The {@code culex:} Gogo commands, run through Gogo's {@link CommandProcessor} as a console would run them, against
 * the real broker with Paho clients connected; the feature commands install and uninstall the $SYS bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private CommandProcessor gogo;

    @Configuration
    public Option[] configuration() throws IOException {
        Path home = Files.createTempDirectory("culex-shell-home");
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/test-features.xml"), String.join("\n",
                "<features name=\"test\">",
                "  <feature name=\"engine\" description=\"bundles the container boots\">",
                "    <bundle>" + CulexContainer.reactorJar("culex.core.jar") + "</bundle>",
                "  </feature>",
                "  <feature name=\"sys\" description=\"the $SYS tree\">",
                "    <bundle>" + CulexContainer.reactorJar("culex.sys.jar") + "</bundle>",
                "    <config name=\"io.culex.sys\">",
                "      sys_interval = 1",
                "    </config>",
                "  </feature>",
                "</features>", ""));
        return new Option[] {
            composite(CulexContainer.coreBundles()),
            frameworkProperty("culex.home").value(home.toString()),
            frameworkProperty("felix.fileinstall.dir").value(new File("target/paxexam-shell").getAbsolutePath()),
            mavenBundle("org.apache.felix", "org.apache.felix.fileinstall", "3.7.4"),
            mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
            bundle(CulexContainer.reactorJar("culex.plugins.jar")),
            bundle(CulexContainer.reactorJar("culex.shell.jar")),
        };
    }

    /** Runs one command line in a fresh session and returns what it printed; a failing command throws. */
    private String run(String commandLine) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandSession session = gogo.createSession(new ByteArrayInputStream(new byte[0]), out, err);
        try {
            session.execute(commandLine);
        } finally {
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String awaitOutput(String commandLine, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String output = run(commandLine);
        while (!output.contains(expected)) {
            if (System.nanoTime() > deadline) {
                fail(commandLine + " never printed " + expected + ":\n" + output);
            }
            Thread.sleep(50);
            output = run(commandLine);
        }
        return output;
    }

    @Test
    public void theCommandsShowAndOperateTheBroker() throws Exception {
        MqttProbe mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        BlockingQueue<String> toAlice = new LinkedBlockingQueue<>();
        MqttClient alice = mqtt.client("alice", mqtt.options(), toAlice);
        alice.subscribe("sensors/+/temp", 1);
        alice.subscribe("alerts", 0);
        MqttClient bob = mqtt.client("bob");
        bob.subscribe("other/#", 2);

        // ---------------------------------------------------------------- clients
        String clients = run("culex:clients");
        assertTrue(clients, clients.lines().anyMatch(l -> l.startsWith("alice ") && l.contains("3.1.1")
                && l.matches(".*\\s2\\s+0\\s+0$")));
        assertTrue(clients, clients.lines().anyMatch(l -> l.startsWith("bob ")));
        assertTrue(clients, clients.endsWith("2 clients connected" + System.lineSeparator()));

        // ---------------------------------------------------------------- subscriptions, all and by filter
        String all = run("culex:subscriptions");
        assertTrue(all, all.contains("3 subscriptions"));
        String sensors = run("culex:subscriptions 'sensors/#'");
        assertTrue(sensors, sensors.lines().anyMatch(l -> l.matches("alice\\s+sensors/\\+/temp\\s+1\\s+yes")));
        assertTrue(sensors, sensors.contains("1 subscription" + System.lineSeparator()));

        // ---------------------------------------------------------------- publish and retained
        assertEquals("Published to sensors/kitchen/temp (retained)." + System.lineSeparator(),
                run("culex:publish -q 1 -r sensors/kitchen/temp 21.5"));
        assertEquals("sensors/kitchen/temp 21.5", MqttProbe.next(toAlice));
        run("culex:publish alerts 'smoke in the kitchen'");
        assertEquals("alerts smoke in the kitchen", MqttProbe.next(toAlice));
        String retained = run("culex:retained 'sensors/#'");
        assertTrue(retained, retained.lines().anyMatch(l -> l.matches("sensors/kitchen/temp\\s+1\\s+4\\s+21\\.5")));
        assertTrue(retained, retained.contains("1 retained message"));
        try {
            run("culex:publish -q 3 a b");
            fail("QoS 3 is refused");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("QoS must be 0, 1 or 2"));
        }

        // ---------------------------------------------------------------- kick
        assertEquals("Client bob disconnected." + System.lineSeparator(), run("culex:kick bob"));
        awaitOutput("culex:clients", "1 client connected");
        assertFalse(bob.isConnected() && run("culex:clients").contains("bob "));
        try {
            run("culex:kick nobody");
            fail("kicking a client that is not connected is an error");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("No client nobody is connected"));
        }

        // ---------------------------------------------------------------- features: install and uninstall $SYS
        String features = run("culex:features");
        assertTrue(features, features.lines().anyMatch(l -> l.matches("sys\\s+no\\s+io\\.culex\\.sys")));
        assertTrue(features, features.lines().anyMatch(l -> l.matches("engine\\s+system\\s+io\\.culex\\.core")));
        assertEquals("Feature engine is not installed as a feature; nothing to uninstall." + System.lineSeparator(),
                run("culex:feature-uninstall engine"));
        assertEquals("Feature sys installed." + System.lineSeparator(), run("culex:feature-install sys"));
        assertTrue(run("culex:features").lines().anyMatch(l -> l.matches("sys\\s+yes\\s+io\\.culex\\.sys")));
        awaitOutput("culex:retained '$SYS/broker/version'", "$SYS/broker/version");
        assertEquals("Feature sys uninstalled." + System.lineSeparator(), run("culex:feature-uninstall sys"));
        assertTrue(run("culex:features").lines().anyMatch(l -> l.matches("sys\\s+no\\s+io\\.culex\\.sys")));
        awaitOutput("culex:retained '$SYS/#'", "0 retained messages");
        for (Bundle b : context.getBundles()) {
            assertFalse("the feature's bundle is gone", "io.culex.sys".equals(b.getSymbolicName()));
        }
        try {
            run("culex:feature-install nothing");
            fail("an unknown feature is an error");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("No feature nothing"));
        }

        // ---------------------------------------------------------------- usage errors
        try {
            run("culex:kick");
            fail("kick needs a client id");
        } catch (IllegalArgumentException expected) {
            assertEquals("usage: culex:kick <client id>", expected.getMessage());
        }
        alice.disconnect();
        theClusterCommandShowsWhatTheClusterBundlePublishesInSys();
    }

    private void theClusterCommandShowsWhatTheClusterBundlePublishesInSys() throws Exception {
        assertTrue(run("culex:cluster").startsWith("This node is not in a cluster"));

        // what the cluster bundle publishes (its own test, ClusterIT, runs real nodes): the command only reads it
        org.osgi.framework.ServiceReference<io.culex.api.Broker> ref =
                context.getServiceReference(io.culex.api.Broker.class);
        io.culex.api.Broker broker = context.getService(ref);
        try {
            String[][] sys = {{"name", "prod"}, {"state", "incomplete"}, {"members", "2"},
                {"members/missing", "10.0.0.7:5701"}, {"filters/local", "3"},
                {"filters/remote", "5"}, {"messages/forwarded", "70"}, {"messages/received", "80"},
                {"member/10.0.0.5:5701/clients", "12"}, {"member/10.0.0.5:5701/messages/received/persecond", "1.5"},
                {"member/10.0.0.5:5701/messages/sent/persecond", "2.0"}, {"member/10.0.0.6:5701/clients", "4"},
                {"member/10.0.0.6:5701/messages/received/persecond", "0.0"},
                {"member/10.0.0.6:5701/messages/sent/persecond", "0.5"}};
            for (String[] topic : sys) {
                broker.newMessage("$SYS/broker/cluster/" + topic[0]).payload(topic[1].getBytes(StandardCharsets.UTF_8))
                        .retain(true).publish().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            String cluster = awaitOutput("culex:cluster", "10.0.0.6");
            assertTrue(cluster, cluster.startsWith("Cluster prod: incomplete, 2 member(s)"));
            assertTrue(cluster, cluster.contains("Missing (stopped, crashed or cut off by a network split): "
                    + "10.0.0.7:5701"));
            assertTrue(cluster, cluster.contains("forwarded / received: 70 / 80"));
            assertTrue(cluster, cluster.lines().anyMatch(
                    l -> l.matches("10\\.0\\.0\\.5:5701\\s+12\\s+1\\.5\\s+2\\.0")));
            assertTrue(cluster, cluster.lines().anyMatch(
                    l -> l.matches("10\\.0\\.0\\.6:5701\\s+4\\s+0\\.0\\s+0\\.5")));
        } finally {
            for (String topic : new String[] {"name", "state", "members", "members/missing"}) {
                broker.newMessage("$SYS/broker/cluster/" + topic).retain(true).publish();
            }
            context.ungetService(ref);
        }
    }
}
