package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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

import io.culex.api.Authorizer;

/**
 * The real acl-file bundle, required by the configuration, uninstalled and reinstalled while clients stay
 * connected: while it is gone the broker fails closed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AclFileBundleLifecycleIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private MqttProbe mqtt;

    @Configuration
    public Option[] configuration() {
        return CulexContainer.coreBundles();
    }

    @Test
    public void uninstallingTheRequiredAclBundleDeniesAndReinstallingRestores() throws Exception {
        Path acl = Files.createTempFile("culex-acl", ".acl");
        Files.writeString(acl, "# anonymous clients\ntopic readwrite open/#\n");
        mqtt = new MqttProbe();
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", true);
        broker.put("required_providers", new String[] {"acl_file"});
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> aclConfig = new Hashtable<>();
        aclConfig.put("acl_file", acl.toString());
        configurationAdmin.getConfiguration("io.culex.acl.file", "?").update(aclConfig);
        mqtt.configureListener(configurationAdmin);
        mqtt.awaitListening();

        Bundle aclBundle = installAclBundle();
        MqttClient watcher = mqtt.client("watcher");
        watcher.subscribe("#", 1);
        MqttClient publisher = mqtt.client("publisher");
        MqttProbe.publish(publisher, "closed/x", "denied by the file");
        MqttProbe.publish(publisher, "open/x", "allowed by the file");
        assertEquals("open/x allowed by the file", mqtt.next());
        assertNull("the denied message does not come late either", mqtt.poll(300));

        aclBundle.uninstall();
        MqttProbe.publish(publisher, "open/x", "while the ACL bundle is gone");
        try {
            mqtt.client("newcomer");
            throw new AssertionError("a new client must be refused while the required provider is gone");
        } catch (MqttException e) {
            assertEquals(MqttException.REASON_CODE_BROKER_UNAVAILABLE, e.getReasonCode());
        }
        assertTrue("connected clients stay connected", watcher.isConnected() && publisher.isConnected());

        installAclBundle();
        MqttProbe.publish(publisher, "open/x", "after reinstalling");
        assertEquals("open/x after reinstalling", mqtt.next());
        watcher.disconnect();
        publisher.disconnect();
    }

    private Bundle installAclBundle() throws Exception {
        ServiceTracker<Authorizer, Authorizer> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + Authorizer.class.getName() + ")(culex.provider=acl_file))"),
                null);
        tracker.open();
        try {
            Bundle bundle = context.installBundle(CulexContainer.reactorJar("culex.aclfile.jar"));
            bundle.start();
            assertTrue("the acl-file Authorizer is registered", tracker.waitForService(10_000) != null);
            return bundle;
        } finally {
            tracker.close();
        }
    }
}
