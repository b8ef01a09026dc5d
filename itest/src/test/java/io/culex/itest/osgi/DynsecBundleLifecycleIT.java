package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Broker;
import io.culex.api.ControlHandler;

/**
 * The real dynamic-security bundle, required by the configuration, hot-deployed: installed at run time it serves
 * its dynamic-security.json (logins, role-based access, {@code $CONTROL/dynamic-security/v1}); uninstalled while
 * clients are connected the broker fails closed; reinstalled it restores what the file holds, including a client
 * created over {@code $CONTROL} before the uninstall.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DynsecBundleLifecycleIT {

    private static final String PROVIDER = "dynamic-security";
    private static final String CONTROL = "$CONTROL/dynamic-security/v1";
    private static final int SUBSCRIBE_REFUSED = 0x80;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private MqttProbe mqtt;
    private final List<MqttClient> clients = new ArrayList<>();

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()), composite(CulexContainer.jacksonBundles()));
    }

    @After
    public void closeClients() {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close();
            } catch (MqttException e) {
                // the test's outcome is already decided
            }
        }
    }

    @Test
    public void hotDeployedDynsecServesItsFileFailsClosedWhenGoneAndRestoresFromTheFile() throws Exception {
        Path dir = Files.createTempDirectory("culex-dynsec");
        Path file = dir.resolve("dynamic-security.json");
        Files.writeString(file, dynamicSecurityJson());
        mqtt = new MqttProbe();
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", false);
        broker.put("required_providers", new String[] {PROVIDER});
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> dynsec = new Hashtable<>();
        dynsec.put("config_file", file.toString());
        configurationAdmin.getConfiguration("io.culex.dynsec", "?").update(dynsec);
        mqtt.configureListener(configurationAdmin);
        mqtt.awaitListening();

        // ---------------------------------------------------------------- not installed yet: fail closed
        assertRefused("alice-0", "alice", "alice-pw", MqttException.REASON_CODE_BROKER_UNAVAILABLE);

        // ---------------------------------------------------------------- installed: the file's clients and roles
        installDynsecBundle();
        assertRefused("alice-wrong", "alice", "not-her-password", MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertRefused("nobody", "nobody", "pw", MqttException.REASON_CODE_NOT_AUTHORIZED);

        BlockingQueue<String> toAdmin = new LinkedBlockingQueue<>();
        MqttClient admin = connect("admin-1", "admin", "admin-pw", toAdmin);
        assertEquals(1, grantedQos(admin, "#"));
        assertEquals(1, grantedQos(admin, CONTROL + "/response"));

        BlockingQueue<String> toAlice = new LinkedBlockingQueue<>();
        MqttClient alice = connect("alice-1", "alice", "alice-pw", toAlice);
        assertEquals("subscribePattern of the role of her group", 1, grantedQos(alice, "sensors/#"));
        assertEquals("subscribe is denied by default", SUBSCRIBE_REFUSED, grantedQos(alice, "other/#"));
        MqttProbe.publish(alice, "sensors/secret", "denied by the higher-priority ACL");
        MqttProbe.publish(alice, "other/x", "denied by defaultACLAccess");
        MqttProbe.publish(alice, "sensors/temp", "21");
        assertEquals("sensors/temp 21", MqttProbe.next(toAdmin));
        assertEquals("sensors/temp 21", MqttProbe.next(toAlice));
        assertNull("the denied messages do not come late either", toAdmin.poll(300, TimeUnit.MILLISECONDS));

        // ---------------------------------------------------------------- $CONTROL: the admin creates bob
        assertRefused("bob-0", "bob", "bob-pw", MqttException.REASON_CODE_NOT_AUTHORIZED);
        MqttProbe.publish(admin, CONTROL, "{\"commands\":[{\"command\":\"createClient\",\"username\":\"bob\","
                + "\"password\":\"bob-pw\",\"roles\":[{\"rolename\":\"sensor\"}],\"correlationData\":\"c1\"}]}");
        String response = MqttProbe.next(toAdmin);
        assertTrue(response, response.startsWith(CONTROL + "/response {"));
        assertTrue(response, response.contains("\"command\":\"createClient\""));
        assertTrue(response, response.contains("\"correlationData\":\"c1\""));
        assertFalse(response, response.contains("error"));
        assertTrue("an answered change is in the file", Files.readString(file).contains("\"bob\""));
        MqttClient bob = connect("bob-1", "bob", "bob-pw", new LinkedBlockingQueue<>());
        MqttProbe.publish(bob, "sensors/bob", "created at run time");
        assertEquals("sensors/bob created at run time", MqttProbe.next(toAdmin));

        // ---------------------------------------------------------------- uninstalled: fail closed
        ServiceTracker<Object, Object> providerServices = providerServices(new CountDownLatch(3));
        try {
            assertEquals("tracked before the uninstall", 3, providerServices.size());
            dynsecBundle().uninstall();
            assertEquals("no dynamic-security service is left", 0, providerServices.size());
        } finally {
            providerServices.close();
        }
        assertRefused("alice-2", "alice", "alice-pw", MqttException.REASON_CODE_BROKER_UNAVAILABLE);
        assertRefused("bob-2", "bob", "bob-pw", MqttException.REASON_CODE_BROKER_UNAVAILABLE);
        MqttProbe.publish(alice, "sensors/temp", "while the dynsec bundle is gone");
        MqttProbe.publish(bob, "sensors/bob", "while the dynsec bundle is gone");
        MqttProbe.publish(admin, CONTROL, "{\"commands\":[{\"command\":\"createClient\",\"username\":\"carol\","
                + "\"password\":\"carol-pw\"}]}");
        assertTrue("connected clients stay connected",
                admin.isConnected() && alice.isConnected() && bob.isConnected());
        ServiceReference<Broker> brokerService = context.getServiceReference(Broker.class);
        assertNotNull("the broker is still there", brokerService);
        assertEquals(Bundle.ACTIVE, brokerService.getBundle().getState());

        // ---------------------------------------------------------------- reinstalled: the state from the file
        installDynsecBundle();
        MqttProbe.publish(alice, "sensors/secret", "still denied");
        MqttProbe.publish(alice, "sensors/temp", "after reinstalling");
        assertEquals("nothing of alice's was routed while the bundle was gone, sensors/secret is still denied",
                "sensors/temp after reinstalling", MqttProbe.next(toAdmin));
        assertNull("sensors/secret does not come late either", toAdmin.poll(300, TimeUnit.MILLISECONDS));
        MqttProbe.publish(bob, "sensors/bob", "after reinstalling");
        assertEquals("nothing of bob's was routed while the bundle was gone",
                "sensors/bob after reinstalling", MqttProbe.next(toAdmin));

        MqttClient bobAgain = connect("bob-2", "bob", "bob-pw", new LinkedBlockingQueue<>());
        MqttProbe.publish(bobAgain, "sensors/bob", "logged in from the file");
        assertEquals("sensors/bob logged in from the file", MqttProbe.next(toAdmin));
        assertRefused("bob-wrong", "bob", "not-bobs-password", MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertRefused("carol-1", "carol", "carol-pw", MqttException.REASON_CODE_NOT_AUTHORIZED);

        MqttProbe.publish(admin, CONTROL, "{\"commands\":[{\"command\":\"getClient\",\"username\":\"bob\"}]}");
        String getClient = MqttProbe.next(toAdmin);
        assertTrue("the request sent while the bundle was gone got no answer: " + getClient,
                getClient.startsWith(CONTROL + "/response {") && getClient.contains("\"command\":\"getClient\""));
        assertTrue(getClient, getClient.contains("\"username\":\"bob\"") && getClient.contains("\"sensor\""));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Install and start the reactor's dynsec jar; wait for its three services. */
    private void installDynsecBundle() throws Exception {
        CountDownLatch registered = new CountDownLatch(3);
        ServiceTracker<Object, Object> tracker = providerServices(registered);
        try {
            Bundle bundle = context.installBundle(CulexContainer.reactorJar("culex.dynsec.jar"));
            bundle.start();
            assertTrue("three dynamic-security services within 10 s", registered.await(10, TimeUnit.SECONDS));
            assertNotNull("the dynamic-security ControlHandler is registered", find(tracker, ControlHandler.class));
            assertNotNull("the dynamic-security Authenticator is registered", find(tracker, Authenticator.class));
            assertNotNull("the dynamic-security Authorizer is registered", find(tracker, Authorizer.class));
            assertEquals("registered by the new bundle", bundle,
                    find(tracker, Authorizer.class).getBundle());
        } finally {
            tracker.close();
        }
    }

    private static ServiceReference<Object> find(ServiceTracker<Object, Object> tracker, Class<?> type) {
        ServiceReference<Object>[] references = tracker.getServiceReferences();
        if (references == null) {
            return null;
        }
        for (ServiceReference<Object> reference : references) {
            for (String name : (String[]) reference.getProperty("objectClass")) {
                if (name.equals(type.getName())
                        && (type != ControlHandler.class
                                || PROVIDER.equals(reference.getProperty(ControlHandler.CONTROL_NAME)))) {
                    return reference;
                }
            }
        }
        return null;
    }

    /**
     * @param added counted down for every service tracked
     * @return an open tracker of the services with {@code culex.provider=dynamic-security} (their references)
     */
    private ServiceTracker<Object, Object> providerServices(CountDownLatch added) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(culex.provider=" + PROVIDER + ")"),
                new ServiceTrackerCustomizer<Object, Object>() {
                    @Override
                    public Object addingService(ServiceReference<Object> reference) {
                        added.countDown();
                        return reference;
                    }

                    @Override
                    public void modifiedService(ServiceReference<Object> reference, Object tracked) {
                    }

                    @Override
                    public void removedService(ServiceReference<Object> reference, Object tracked) {
                    }
                });
        tracker.open(true);
        return tracker;
    }

    private Bundle dynsecBundle() {
        for (Bundle bundle : context.getBundles()) {
            if ("io.culex.dynsec".equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("the dynsec bundle is not installed");
    }

    private MqttConnectOptions login(String username, String password) {
        MqttConnectOptions options = mqtt.options();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setConnectionTimeout(10);
        return options;
    }

    private MqttClient connect(String id, String username, String password, BlockingQueue<String> into)
            throws MqttException {
        MqttClient c = mqtt.client(id, login(username, password), into);
        clients.add(c);
        return c;
    }

    private void assertRefused(String id, String username, String password, int returnCode) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqtt.port(), id, new MemoryPersistence());
        try {
            c.connect(login(username, password));
            c.disconnect();
            throw new AssertionError(username + " (" + id + ") must be refused with return code " + returnCode);
        } catch (MqttException e) {
            assertEquals(username + " (" + id + ")", returnCode, e.getReasonCode());
        } finally {
            c.close();
        }
    }

    /** @return the QoS the SUBACK granted, 0x80 when refused */
    private static int grantedQos(MqttClient client, String filter) throws MqttException {
        try {
            IMqttToken token = client.subscribeWithResponse(filter, 1);
            return token.getGrantedQos()[0];
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return SUBSCRIBE_REFUSED;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ the file

    /**
     * A dynamic-security.json in Mosquitto's format: the admin with the role {@code mosquitto_ctrl dynsec init}
     * gives it, alice with the role {@code sensor} (publish to sensors/#, but not sensors/secret) and, through the group
     * {@code readers}, the role {@code reader} (subscribe to sensors/#).
     */
    private static String dynamicSecurityJson() throws Exception {
        return """
                {
                  "defaultACLAccess": {"publishClientSend": false, "publishClientReceive": true,
                                       "subscribe": false, "unsubscribe": true},
                  "clients": [
                    {"username": "admin", "textname": "Dynsec admin user", %s,
                     "roles": [{"rolename": "admin"}]},
                    {"username": "alice", %s, "roles": [{"rolename": "sensor"}]}
                  ],
                  "groups": [
                    {"groupname": "readers", "roles": [{"rolename": "reader"}], "clients": [{"username": "alice"}]}
                  ],
                  "roles": [
                    {"rolename": "admin", "acls": [
                      {"acltype": "publishClientSend", "topic": "$CONTROL/dynamic-security/#", "allow": true},
                      {"acltype": "publishClientReceive", "topic": "$CONTROL/dynamic-security/#", "allow": true},
                      {"acltype": "subscribePattern", "topic": "$CONTROL/dynamic-security/#", "allow": true},
                      {"acltype": "publishClientReceive", "topic": "$SYS/#", "allow": true},
                      {"acltype": "subscribePattern", "topic": "$SYS/#", "allow": true},
                      {"acltype": "publishClientReceive", "topic": "#", "allow": true},
                      {"acltype": "subscribePattern", "topic": "#", "allow": true},
                      {"acltype": "unsubscribePattern", "topic": "#", "allow": true}]},
                    {"rolename": "sensor", "acls": [
                      {"acltype": "publishClientSend", "topic": "sensors/#", "priority": 0, "allow": true},
                      {"acltype": "publishClientSend", "topic": "sensors/secret", "priority": 5, "allow": false}]},
                    {"rolename": "reader", "acls": [
                      {"acltype": "subscribePattern", "topic": "sensors/#", "allow": true}]}
                  ]
                }
                """.formatted(password("admin-pw"), password("alice-pw"));
    }

    /** @return Mosquitto's password members: base64 PBKDF2-HMAC-SHA512 of the password, 12-byte salt, iterations */
    private static String password(String password) throws Exception {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        int iterations = 101;
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 512)).getEncoded();
        return "\"password\": \"" + Base64.getEncoder().encodeToString(hash) + "\", \"salt\": \""
                + Base64.getEncoder().encodeToString(salt) + "\", \"iterations\": " + iterations;
    }
}
