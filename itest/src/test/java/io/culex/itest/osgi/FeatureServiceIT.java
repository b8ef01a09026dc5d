package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.culex.api.MessageInterceptor;
import io.culex.api.admin.FeatureService;

/**
 * Features at run time: a feature from {@code <culex.home>/features/*.xml} installed with clients connected takes
 * effect with its default configuration; uninstalled, its bundle and configuration are gone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureServiceIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Inject
    private FeatureService features;

    @Configuration
    public Option[] configuration() throws IOException {
        Path home = Files.createTempDirectory("culex-features-home");
        Files.createDirectories(home.resolve("features"));
        String sample = CulexContainer.reactorJar("culex.sample.topic-modification.jar");
        Files.writeString(home.resolve("features/test-features.xml"), String.join("\n",
                "<features name=\"test\">",
                "  <feature name=\"rewrite\" description=\"legacy/ becomes renamed/\">",
                "    <bundle>" + sample + "</bundle>",
                "    <config name=\"io.culex.sample.topicmodification\">",
                "      from = legacy/",
                "      to = renamed/",
                "    </config>",
                "  </feature>",
                "</features>", ""));
        return new Option[] {
            composite(CulexContainer.coreBundles()),
            frameworkProperty("culex.home").value(home.toString()),
            // io.culex.plugins reports non-bundle jars through FileInstall's ArtifactInstaller
            frameworkProperty("felix.fileinstall.dir").value(new File("target/paxexam-features").getAbsolutePath()),
            mavenBundle("org.apache.felix", "org.apache.felix.fileinstall", "3.7.4"),
            bundle(CulexContainer.reactorJar("culex.plugins.jar")),
        };
    }

    @Test
    public void installAndUninstallAFeatureWithClientsConnected() throws Exception {
        MqttProbe mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        assertEquals(List.of("rewrite"), features.availableFeatures());
        assertEquals(List.of(), features.installedFeatures());
        assertEquals(List.of("io.culex.sample.topicmodification"), features.bundlesOf("rewrite"));

        MqttClient watcher = mqtt.client("watcher");
        watcher.subscribe("#", 1);
        MqttClient publisher = mqtt.client("publisher");
        MqttProbe.publish(publisher, "legacy/a", "before");
        assertEquals("legacy/a before", mqtt.next());

        ServiceTracker<MessageInterceptor, MessageInterceptor> interceptors =
                new ServiceTracker<>(context, MessageInterceptor.class, null);
        interceptors.open();
        features.install("rewrite");
        assertTrue("the feature's interceptor is registered", interceptors.waitForService(10_000) != null);
        assertEquals(List.of("rewrite"), features.installedFeatures());
        MqttProbe.publish(publisher, "legacy/a", "during");
        assertEquals("renamed/a during", mqtt.next());

        features.uninstall("rewrite");
        assertEquals(List.of(), features.installedFeatures());
        assertNull("the feature's configuration is deleted",
                configurationAdmin.listConfigurations("(culex.feature=rewrite)"));
        MqttProbe.publish(publisher, "legacy/a", "after");
        assertEquals("legacy/a after", mqtt.next());
        assertTrue("no client was disconnected", watcher.isConnected() && publisher.isConnected());
        interceptors.close();

        try {
            features.install("no-such-feature");
            fail("an unknown feature is an error");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("rewrite"));
        }
        watcher.disconnect();
        publisher.disconnect();
    }
}
