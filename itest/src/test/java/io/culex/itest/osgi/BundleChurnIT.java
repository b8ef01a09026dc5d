package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.inject.Inject;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 14, "bundle churn under load": each feature bundle (auth-file, acl-file, dynsec, the topic-modification
 * sample plugin) goes through install / update / uninstall cycles while 50 clients publish and receive QoS 1
 * ({@link QosLoad}). Every test asserts:
 * <ul>
 * <li>no client loses its connection, and every QoS 1 message acknowledged to its publisher arrives, once and in
 * order (the load runs without pause from before the first cycle to after the last);</li>
 * <li>each installed and each updated revision is in effect (a probe its rules decide), and its absence too;</li>
 * <li>the class loaders of the old revisions (the installed one after the update, the updated one after the
 * uninstall) and one of their classes are garbage collected: a {@link WeakReference} to each is cleared after a
 * full GC, every cycle; the heap after a full GC and the loaded classes do not grow across the cycles (within
 * the bounds {@link #assertHeapDoesNotGrow} explains).</li>
 * </ul>
 * 20 cycles per bundle; {@code -Dculex.churn.cycles=100} for the issue's full run. Each test prints a table per
 * cycle: heap after GC, loaded classes, and how long each step took.
 *
 * <p>Security is configured as it matters. The password file is <em>required</em>, as {@code password_file} in
 * {@code culex.conf} makes it (an authentication provider): while its bundle is gone new clients are refused
 * (fail closed) and the connected ones, authenticated already, go on losslessly. The ACL file and dynamic
 * security are first churned as plain Config Admin configurations <em>without</em> a requirement, so that while
 * their bundle is gone no authorizer is registered and every check is allowed: lossless too.
 * {@link #requiredAclFileFailsClosedAcrossChurnAndConnectedClientsStay()} churns the ACL file as {@code culex.conf}
 * makes it, required: while it is gone (an uninstall, and the moment between an update's stop and start) every
 * check denies, so messages are lost then, and only then.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BundleChurnIT {

    private static final int CYCLES = Integer.getInteger("culex.churn.cycles", 20);
    private static final int CLIENTS = Integer.getInteger("culex.churn.clients", 50);
    /** Each load client publishes at most one message per interval (20 per second by default). */
    private static final long INTERVAL_MILLIS = Long.getLong("culex.churn.interval_ms", 50);
    /** Kinds of gap: from an uninstall to the next install in effect, and an update's stop to its start. */
    private static final long UNINSTALLED = 0;
    private static final long UPDATING = 1;
    /** See {@link #assertHeapDoesNotGrow}. */
    private static final long HEAP_GROWTH_LIMIT_PER_CYCLE = 64 * 1024;
    /** See {@link #assertHeapDoesNotGrow}. */
    private static final int CLASS_GROWTH_LIMIT = 100;
    /** Full GCs tried before a class loader that should be unreachable counts as leaked. */
    private static final int GC_ATTEMPTS = 10;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private MqttProbe mqtt;
    private QosLoad load;
    private final List<MqttClient> probes = new ArrayList<>();
    private final List<String> probeConnectionsLost = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BlockingQueue<String> probeMessages = new LinkedBlockingQueue<>();
    private final Semaphore registrations = new Semaphore(0);
    private ServiceListener registrationListener;

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()), composite(CulexContainer.jacksonBundles()));
    }

    @After
    public void cleanUp() throws Exception {
        if (load != null) {
            load.close();
        }
        for (MqttClient probe : probes) {
            try {
                if (probe.isConnected()) {
                    probe.disconnect();
                }
                probe.close();
            } catch (MqttException e) {
                // decided already
            }
        }
        if (registrationListener != null) {
            context.removeServiceListener(registrationListener);
        }
    }

    // ------------------------------------------------------------------------------------------------ the tests

    @Test
    public void passwordFileChurnKeepsConnectedClientsAndRefusesNewOnesWhileGone() throws Exception {
        Path passwords = Files.createTempFile("culex-churn", ".passwd");
        Files.writeString(passwords, passwordLine("load", "load-pw") + passwordLine("probe", "probe-pw"));
        mqtt = new MqttProbe();
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", false);
        // as the config bundle writes "password_file" in culex.conf
        broker.put("required_providers", new String[] {"password_file"});
        broker.put("required_authenticators", new String[] {"password_file"});
        // a CONNECT waits min(this, 2 s) for a missing required provider: 1 s keeps the refusals below short
        broker.put("culex.authentication_timeout_ms", 1000);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> file = new Hashtable<>();
        file.put("password_file", passwords.toString());
        configurationAdmin.getConfiguration("io.culex.auth.file", "?").update(file);
        mqtt.configureListener(configurationAdmin);
        mqtt.awaitListening();

        churn(new Feature("culex.authfile.jar", "io.culex.auth.file.internal.PasswordFileAuthenticator",
                "(culex.provider=password_file)", 1) {
            @Override
            void connectClients() throws Exception {
                connectLoad(() -> login("load", "load-pw"));
            }

            @Override
            void assertInEffect(int cycle, String phase) throws Exception {
                assertEquals("a user of the file logs in with the revision now installed", 0,
                        connack("probe-" + cycle + "-" + phase, "probe", "probe-pw"));
                assertEquals("a wrong password is refused (not authorized)", 5,
                        connack("probe-wrong", "probe", "not-the-password"));
            }

            @Override
            void assertAbsent(int cycle) throws Exception {
                // fail closed: the configuration requires the provider (a CONNECT waits for it 1 s, so only twice)
                if (cycle == 0 || cycle == CYCLES - 1) {
                    assertEquals("with the required password file gone a new client is refused (server unavailable)",
                            3, connack("probe-gone", "probe", "probe-pw"));
                }
            }
        });
    }

    @Test
    public void aclFileChurnUnderLoadLosesNothing() throws Exception {
        Path acl = Files.createTempFile("culex-churn", ".acl");
        Files.writeString(acl, "# anonymous clients\ntopic readwrite load/#\ntopic readwrite probe/allowed\n"
                + "topic read probe/#\n");
        mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);
        Dictionary<String, Object> file = new Hashtable<>();
        file.put("acl_file", acl.toString());
        configurationAdmin.getConfiguration("io.culex.acl.file", "?").update(file);

        churn(new AuthorizerFeature("culex.aclfile.jar", "io.culex.acl.file.internal.AclFileAuthorizer",
                "(culex.provider=acl_file)", 1) {
            @Override
            void connectClients() throws Exception {
                connectLoad(mqtt::options);
                connectProbePair(mqtt.options());
            }
        });
    }

    @Test
    public void requiredAclFileFailsClosedAcrossChurnAndConnectedClientsStay() throws Exception {
        Path acl = Files.createTempFile("culex-churn", ".acl");
        Files.writeString(acl, "# anonymous clients\ntopic readwrite load/#\ntopic readwrite probe/allowed\n"
                + "topic read probe/#\n");
        mqtt = new MqttProbe();
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", true);
        // as the config bundle writes "acl_file" in culex.conf
        broker.put("required_providers", new String[] {"acl_file"});
        broker.put("required_authorizers", new String[] {"acl_file"});
        broker.put("culex.authentication_timeout_ms", 500);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> file = new Hashtable<>();
        file.put("acl_file", acl.toString());
        configurationAdmin.getConfiguration("io.culex.acl.file", "?").update(file);
        mqtt.configureListener(configurationAdmin);
        mqtt.awaitListening();

        churn(new AuthorizerFeature("culex.aclfile.jar", "io.culex.acl.file.internal.AclFileAuthorizer",
                "(culex.provider=acl_file)", 1) {
            @Override
            boolean failsClosed() {
                return true;
            }

            @Override
            void connectClients() throws Exception {
                connectLoad(mqtt::options);
                connectProbePair(mqtt.options());
            }

            @Override
            void assertAbsent(int cycle) throws Exception {
                // both denied while the required ACL is gone; were either routed, it would come before the probe
                // of the next install (assertInEffect takes the next message)
                String text = cycle + "-uninstalled";
                MqttProbe.publish(publisher(), "probe/denied", text);
                MqttProbe.publish(publisher(), "probe/allowed", text);
                if (cycle == 0 || cycle == CYCLES - 1) {
                    assertEquals("with the required ACL gone a new client is refused (server unavailable)", 3,
                            connack("probe-gone", null, null));
                    assertNull("nothing was routed while the required ACL was gone", probeMessages.poll());
                }
            }
        });
    }

    @Test
    public void dynamicSecurityChurnUnderLoadLosesNothing() throws Exception {
        Path dir = Files.createTempDirectory("culex-churn-dynsec");
        Path json = dir.resolve("dynamic-security.json");
        Files.writeString(json, dynamicSecurityJson());
        mqtt = new MqttProbe();
        Dictionary<String, Object> broker = new Hashtable<>();
        broker.put("allow_anonymous", false);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        Dictionary<String, Object> dynsec = new Hashtable<>();
        dynsec.put("config_file", json.toString());
        configurationAdmin.getConfiguration("io.culex.dynsec", "?").update(dynsec);
        mqtt.configureListener(configurationAdmin);
        mqtt.awaitListening();
        BlockingQueue<String> toAdmin = new LinkedBlockingQueue<>();
        String control = "$CONTROL/dynamic-security/v1";

        churn(new AuthorizerFeature("culex.dynsec.jar", "io.culex.dynsec.internal.DynsecComponent",
                "(culex.provider=dynamic-security)", 3) {
            private MqttClient admin;

            @Override
            void connectClients() throws Exception {
                connectLoad(() -> login("load", "load-pw"));
                connectProbePair(login("load", "load-pw"));
                admin = probeClient("admin", login("admin", "admin-pw"), toAdmin);
                admin.subscribe(control + "/response", 1);
            }

            @Override
            void assertInEffect(int cycle, String phase) throws Exception {
                super.assertInEffect(cycle, phase);
                // the control handler of this revision answers
                String correlation = cycle + "-" + phase;
                MqttProbe.publish(admin, control, "{\"commands\":[{\"command\":\"getClient\",\"username\":\"load\","
                        + "\"correlationData\":\"" + correlation + "\"}]}");
                String response = MqttProbe.next(toAdmin);
                assertTrue(response, response.startsWith(control + "/response ")
                        && response.contains("\"correlationData\":\"" + correlation + "\"")
                        && response.contains("\"username\":\"load\"") && !response.contains("\"error\""));
            }
        });
    }

    @Test
    public void samplePluginChurnUnderLoadLosesNothing() throws Exception {
        mqtt = new MqttProbe();
        mqtt.startAnonymousBroker(configurationAdmin);

        churn(new Feature("culex.sample.topic-modification.jar",
                "io.culex.sample.topicmodification.TopicPrefixRewriter",
                "(component.name=io.culex.sample.topicmodification.TopicPrefixRewriter)", 1) {
            private MqttClient publisher;

            @Override
            void connectClients() throws Exception {
                connectLoad(mqtt::options);
                MqttClient subscriber = probeClient("probe-sub", mqtt.options());
                subscriber.subscribe("legacy/#", 1);
                subscriber.subscribe("devices/#", 1);
                publisher = probeClient("probe-pub", mqtt.options());
            }

            @Override
            void assertInEffect(int cycle, String phase) throws Exception {
                MqttProbe.publish(publisher, "legacy/probe", cycle + "-" + phase);
                assertEquals("rewritten by the plugin", "devices/probe " + cycle + "-" + phase,
                        MqttProbe.next(probeMessages));
            }

            @Override
            void assertAbsent(int cycle) throws Exception {
                MqttProbe.publish(publisher, "legacy/probe", cycle + "-uninstalled");
                assertEquals("as published", "legacy/probe " + cycle + "-uninstalled", MqttProbe.next(probeMessages));
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ the churn

    /** What one test churns and how it tells that the bundle is in effect. */
    private abstract class Feature {
        final String jarProperty;
        final String className;
        final String serviceFilter;
        final int services;

        /**
         * @param jarProperty system property naming the bundle's jar
         * @param className a class of the bundle, whose unloading is checked
         * @param serviceFilter the services the bundle registers
         * @param services how many
         */
        Feature(String jarProperty, String className, String serviceFilter, int services) {
            this.jarProperty = jarProperty;
            this.className = className;
            this.serviceFilter = serviceFilter;
            this.services = services;
        }

        /**
         * @return whether the configuration requires the bundle's authorizer, so that while it is gone (between
         *     an update's stop and start too) the load's messages are denied: then a message may be lost, but only
         *     if it was in the broker during such a gap
         */
        boolean failsClosed() {
            return false;
        }

        /** Connect the load's clients (the bundle is installed) and whatever the probes need. */
        abstract void connectClients() throws Exception;

        /** The revision now installed decides. */
        abstract void assertInEffect(int cycle, String phase) throws Exception;

        /** The bundle is gone. */
        abstract void assertAbsent(int cycle) throws Exception;
    }

    /**
     * An authorizer whose rules allow {@code probe/allowed} but not {@code probe/denied}: a probe publishes to both,
     * then the subscriber's next message tells whether the denied one was routed (both come from one publisher on
     * one connection, so in order).
     */
    private abstract class AuthorizerFeature extends Feature {
        private MqttClient publisher;

        AuthorizerFeature(String jarProperty, String className, String serviceFilter, int services) {
            super(jarProperty, className, serviceFilter, services);
        }

        MqttClient publisher() {
            return publisher;
        }

        void connectProbePair(MqttConnectOptions options) throws Exception {
            MqttClient subscriber = probeClient("probe-sub", options);
            subscriber.subscribe("probe/#", 1);
            publisher = probeClient("probe-pub", options);
        }

        @Override
        void assertInEffect(int cycle, String phase) throws Exception {
            String text = cycle + "-" + phase;
            MqttProbe.publish(publisher, "probe/denied", text);
            MqttProbe.publish(publisher, "probe/allowed", text);
            assertEquals("the denied probe was not routed", "probe/allowed " + text, MqttProbe.next(probeMessages));
        }

        @Override
        void assertAbsent(int cycle) throws Exception {
            String text = cycle + "-uninstalled";
            MqttProbe.publish(publisher, "probe/denied", text);
            MqttProbe.publish(publisher, "probe/allowed", text);
            assertEquals("no authorizer: allowed", "probe/denied " + text, MqttProbe.next(probeMessages));
            assertEquals("probe/allowed " + text, MqttProbe.next(probeMessages));
        }
    }

    /** Heap and classes after a full GC at the end of one cycle. */
    private record Sample(int cycle, long heapBytes, long bookkeepingBytes, int loadedClasses, int openFiles,
                          long cycleMillis, long gcMillis, int gcs, String steps) {
    }

    private void churn(Feature feature) throws Exception {
        registrationListener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                registrations.release();
            }
        };
        context.addServiceListener(registrationListener, feature.serviceFilter);

        // before the cycles: install once so that the load's clients can connect, then start the load
        List<WeakReference<Object>> revisions = new ArrayList<>();
        Bundle warmUp = install(feature, revisions);
        feature.connectClients();
        load.start(INTERVAL_MILLIS);
        // from just before the bundle's services may go to when the next revision is seen in effect
        List<long[]> gaps = new ArrayList<>();
        long gapStart = System.nanoTime();
        uninstall(warmUp, feature);
        warmUp = null;

        // before the cycles, since it loads classes and allocates: for finding what grew, should the heap grow
        histogramBefore = classHistogram();
        List<Sample> samples = new ArrayList<>();
        long started = System.nanoTime();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long cycleStart = System.nanoTime();
            Steps steps = new Steps();
            Bundle bundle = install(feature, revisions);
            steps.done();
            feature.assertInEffect(cycle, "installed");
            steps.done();
            gaps.add(new long[] {gapStart, System.nanoTime(), UNINSTALLED});
            gapStart = System.nanoTime();
            update(bundle, feature, revisions);
            steps.done();
            feature.assertInEffect(cycle, "updated");
            steps.done();
            gaps.add(new long[] {gapStart, System.nanoTime(), UPDATING});
            gapStart = System.nanoTime();
            uninstall(bundle, feature);
            bundle = null;
            steps.done();
            feature.assertAbsent(cycle);
            steps.done();
            assertConnected("after cycle " + cycle);
            long cycleMillis = (System.nanoTime() - cycleStart) / 1_000_000;
            samples.add(awaitUnloaded(revisions, cycle, cycleMillis, feature, steps.toString()));
            revisions.clear();
        }
        long churnMillis = (System.nanoTime() - started) / 1_000_000;

        boolean drained;
        if (feature.failsClosed()) {
            // installed once more, so that the load flows again and its end is known: every stream's messages
            // after the last gap arrive, the last one included
            Bundle last = install(feature, revisions);
            feature.assertInEffect(CYCLES, "installed");
            long reopened = System.nanoTime();
            gaps.add(new long[] {gapStart, reopened, UNINSTALLED});
            assertTrue("the load flows again once the required provider is back",
                    load.awaitFlowingSince(reopened, 10_000));
            drained = load.stopAndDrain(20_000, true);
            uninstall(last, feature);
            last = null;
            awaitUnloaded(revisions, CYCLES, 0, feature, "");
            revisions.clear();
        } else {
            drained = load.stopAndDrain(20_000, false);
        }
        QosLoad.Result result = load.result();
        report(feature, samples, churnMillis, result);
        if (feature.failsClosed()) {
            long[] byKind = load.lossesByGap(gaps);
            long updating = gaps.stream().filter(g -> g[2] == UPDATING).mapToLong(g -> g[1] - g[0]).sum();
            long uninstalled = gaps.stream().filter(g -> g[2] == UNINSTALLED).mapToLong(g -> g[1] - g[0]).sum();
            System.out.printf(Locale.ROOT, "BundleChurnIT %s fails closed: %d messages denied while updating "
                    + "(%d updates, %d ms in all), %d while uninstalled (%d ms in all)%n", feature.jarProperty,
                    byKind[(int) UPDATING], CYCLES, updating / 1_000_000, byKind[(int) UNINSTALLED],
                    uninstalled / 1_000_000);
        }
        assertConnected("at the end");
        assertEquals("publishes that failed", 0, result.failedPublishes());
        assertTrue("every acknowledged message that is to arrive arrives within 20 s of the end", drained);
        if (feature.failsClosed()) {
            assertEquals("acknowledged QoS 1 messages lost outside the fail-closed gaps", List.of(),
                    load.lossesOutside(gaps));
        } else {
            assertEquals("acknowledged QoS 1 messages that never arrived:" + result.lostDetail(), 0, result.lost());
        }
        assertEquals("duplicates (no client reconnected, so none is expected)", 0, result.duplicates());
        assertEquals("messages out of order within a stream", 0, result.outOfOrder());
        assertEquals("messages that arrived without having been acknowledged", 0, result.unsolicited());
        assertTrue("the load reached every client throughout: " + load.fewestSentByOneClient(),
                load.fewestSentByOneClient() >= CYCLES);
        try {
            assertHeapDoesNotGrow(samples);
        } catch (AssertionError e) {
            System.out.println("BundleChurnIT: what grew since before the cycles (live objects, by class):\n"
                    + histogramGrowth(histogramBefore, classHistogram()) + "\nheap dump: "
                    + dumpHeap(feature, CYCLES));
            throw e;
        }
    }

    private Map<String, long[]> histogramBefore = Map.of();

    /** @return the live objects per class (a full GC first): class name to {instances, bytes} */
    private static Map<String, long[]> classHistogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            Map<String, long[]> histogram = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    histogram.merge(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }
            }
            return histogram;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** @return the 25 classes whose live bytes grew most, and the classes that were not there before */
    private static String histogramGrowth(Map<String, long[]> before, Map<String, long[]> after) {
        StringBuilder s = new StringBuilder();
        after.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1] - before.getOrDefault(b.getKey(), new long[2])[1],
                        a.getValue()[1] - before.getOrDefault(a.getKey(), new long[2])[1]))
                .limit(25)
                .forEach(e -> {
                    long[] was = before.getOrDefault(e.getKey(), new long[2]);
                    s.append(String.format(Locale.ROOT, "  %+8d bytes %+6d instances  %s%n", e.getValue()[1] - was[1],
                            e.getValue()[0] - was[0], e.getKey()));
                });
        List<String> added = after.keySet().stream().filter(k -> !before.containsKey(k)).sorted().toList();
        s.append("  classes with live objects now but not then: ").append(added.size()).append(' ')
                .append(added.stream().limit(60).toList());
        return s.toString();
    }

    private void connectLoad(java.util.function.Supplier<MqttConnectOptions> login) throws Exception {
        load = new QosLoad(mqtt.port());
        load.connect(CLIENTS, login);
    }

    /** Install and start the feature's jar; wait for its services; weakly reference its class loader. */
    private Bundle install(Feature feature, List<WeakReference<Object>> revisions) throws Exception {
        registrations.drainPermits();
        Bundle bundle = context.installBundle(CulexContainer.reactorJar(feature.jarProperty));
        bundle.start();
        awaitRegistrations(feature, "install");
        remember(bundle, feature, revisions);
        return bundle;
    }

    /** Update the bundle from its jar (a new revision, a new class loader); wait for its services again. */
    private void update(Bundle bundle, Feature feature, List<WeakReference<Object>> revisions) throws Exception {
        ClassLoader before = bundle.adapt(BundleWiring.class).getClassLoader();
        registrations.drainPermits();
        bundle.update();
        awaitRegistrations(feature, "update");
        assertNotEquals("the update made a new revision", before, bundle.adapt(BundleWiring.class).getClassLoader());
        before = null;
        remember(bundle, feature, revisions);
    }

    private void uninstall(Bundle bundle, Feature feature) throws Exception {
        bundle.uninstall();
        assertNull("no service of the uninstalled bundle is left",
                context.getServiceReferences((String) null, feature.serviceFilter));
    }

    private void awaitRegistrations(Feature feature, String step) throws InterruptedException {
        assertTrue(feature.services + " services " + feature.serviceFilter + " registered after the " + step,
                registrations.tryAcquire(feature.services, 10, TimeUnit.SECONDS));
        ServiceReference<?>[] now;
        try {
            now = context.getServiceReferences((String) null, feature.serviceFilter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        assertNotNull(now);
        assertEquals(feature.services, now.length);
    }

    private static void remember(Bundle bundle, Feature feature, List<WeakReference<Object>> revisions)
            throws ClassNotFoundException {
        ClassLoader loader = bundle.adapt(BundleWiring.class).getClassLoader();
        revisions.add(new WeakReference<>(loader));
        revisions.add(new WeakReference<>(loader.loadClass(feature.className)));
    }

    /**
     * Full GCs until every class loader and class of the cycle's revisions is collected (a few, since a thread of
     * the old revision may still be ending); then the heap in use and the loaded classes.
     */
    private Sample awaitUnloaded(List<WeakReference<Object>> revisions, int cycle, long cycleMillis,
                                 Feature feature, String steps) throws Exception {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        List<WeakReference<Object>> watched = new ArrayList<>();
        for (WeakReference<Object> r : revisions) {
            Object referent = r.get();
            if (referent != null) {
                watched.add(new WeakReference<>(referent, queue));
            }
            referent = null;
        }
        long gcStart = System.nanoTime();
        int gcs = 0;
        while (!allCleared(watched)) {
            if (gcs == GC_ATTEMPTS) {
                String dump = dumpHeap(feature, cycle);
                throw new AssertionError("cycle " + cycle + ": a class loader or class of an old revision of "
                        + feature.jarProperty + " is still reachable after " + GC_ATTEMPTS + " full GCs: "
                        + stillReachable(watched) + "bundles pending removal: " + context.getBundle(0)
                        .adapt(FrameworkWiring.class).getRemovalPendingBundles() + "; heap dump: " + dump);
            }
            System.gc();
            gcs++;
            // the collector clears the references; wait a little for the enqueueing, or for a thread still ending
            queue.remove(gcs == 1 ? 1 : 100);
        }
        if (gcs == 0) {
            System.gc(); // the heap figure is the one a full GC left
            gcs++;
        }
        long gcMillis = (System.nanoTime() - gcStart) / 1_000_000;
        long heap = heapAfterLastGc();
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        return new Sample(cycle, heap, load.bookkeepingBytes(), classes, openFiles(), cycleMillis, gcMillis, gcs,
                steps);
    }

    /**
     * @return the heap the last collection left live, per heap pool as the collector reported it: unlike the heap
     *         "used" now, it does not count what the load's threads allocated since (each new TLAB counts as used in
     *         full, so that figure jumped by some 4 MiB in a few samples and once made a median look like growth)
     */
    private static long heapAfterLastGc() {
        long live = 0;
        for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            java.lang.management.MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == java.lang.management.MemoryType.HEAP && afterGc != null) {
                live += afterGc.getUsed();
            }
        }
        return live;
    }

    /** @return the process's open file descriptors (Linux), or -1 */
    private static int openFiles() {
        String[] open = new java.io.File("/proc/self/fd").list();
        return open == null ? -1 : open.length;
    }

    /** @return where a heap dump of the live objects was written (for finding what holds the old revision) */
    private static String dumpHeap(Feature feature, int cycle) {
        String target = System.getProperty("culex.itest.target", System.getProperty("java.io.tmpdir"));
        Path file = Path.of(target, "churn-leak-" + feature.jarProperty + "-" + cycle + "-" + System.nanoTime()
                + ".hprof");
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                    new Object[] {file.toString(), Boolean.TRUE},
                    new String[] {String.class.getName(), boolean.class.getName()});
            return file.toString();
        } catch (Exception e) {
            return "none (" + e + ")";
        }
    }

    private static boolean allCleared(List<WeakReference<Object>> references) {
        for (WeakReference<Object> r : references) {
            if (r.get() != null) {
                return false;
            }
        }
        return true;
    }

    private static String stillReachable(List<WeakReference<Object>> references) {
        StringBuilder s = new StringBuilder();
        for (WeakReference<Object> r : references) {
            Object o = r.get();
            if (o != null) {
                s.append(o).append("; ");
            }
        }
        return s.toString();
    }

    /**
     * The heap after a full GC, less what the test's own accounting holds, must not grow across the cycles by more
     * than {@link #HEAP_GROWTH_LIMIT_PER_CYCLE}: the median of the last third of the cycles against the median of
     * the first third (after two warm-up cycles), so that a single sample taken with more messages in flight does
     * not decide. It does grow a little: Felix 7.0.5 never removes an uninstalled bundle from its service registry's
     * table of service users ({@code ServiceRegistry.m_inUseMap}: a non-prototype service's usage count that
     * dropped to 0 is kept while the service stays registered, and SCR gets Config Admin, dynsec gets the Broker),
     * so the {@code BundleImpl} and revision metadata of every uninstalled bundle stay, without their class loader:
     * 6 to 38 KiB per cycle here. Two leaked class loaders of the acl-file bundle per cycle measured about 48 KiB
     * per cycle; the class count catches those surely (some 40 classes a cycle), the weak references exactly.
     * The loaded classes, compared the same way, may grow by {@link #CLASS_GROWTH_LIMIT} at most: the JVM's own
     * generated classes (reflection accessors once a method is called often, lambda forms) move the count by up
     * to some 150 from one cycle to the next and add a few for good; a leaked revision adds its classes every
     * cycle, 4 to 40 for these bundles. Open file descriptors are printed per cycle too (a revision's jar is a
     * file): constant here.
     */
    private static void assertHeapDoesNotGrow(List<Sample> samples) {
        int warmUp = Math.min(2, samples.size() / 4);
        List<Sample> measured = samples.subList(warmUp, samples.size());
        int third = Math.max(1, measured.size() / 3);
        List<Sample> first = measured.subList(0, third);
        List<Sample> last = measured.subList(measured.size() - third, measured.size());
        double cycles = Math.max(1, (measured.size() - third));
        double growthPerCycle = (median(last) - median(first)) / cycles;
        String figures = String.format(Locale.ROOT, "heap %.0f KiB at first, %.0f KiB at last: %+.1f KiB per cycle",
                median(first) / 1024, median(last) / 1024, growthPerCycle / 1024);
        System.out.println("BundleChurnIT " + figures);
        assertTrue("the heap after a full GC grows across the cycles: " + figures,
                growthPerCycle < HEAP_GROWTH_LIMIT_PER_CYCLE);
        // medians too: classes the JVM generates (lambda forms, reflection accessors) come and go by a hundred or so
        long classesGrowth = medianClasses(last) - medianClasses(first);
        System.out.println("BundleChurnIT loaded classes grew by " + classesGrowth);
        assertTrue("loaded classes grow across the cycles: " + classesGrowth, classesGrowth < CLASS_GROWTH_LIMIT);
    }

    private static long medianClasses(List<Sample> samples) {
        int[] values = samples.stream().mapToInt(Sample::loadedClasses).sorted().toArray();
        return values[values.length / 2];
    }

    private static double median(List<Sample> samples) {
        long[] values = samples.stream().mapToLong(s -> s.heapBytes() - s.bookkeepingBytes()).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }

    private void report(Feature feature, List<Sample> samples, long churnMillis, QosLoad.Result result) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%nBundleChurnIT %s: %d cycles in %d ms, %d clients; sent %d, received "
                        + "%d, lost %d, duplicates %d%n", feature.jarProperty, samples.size(), churnMillis, CLIENTS,
                result.sent(), result.received(), result.lost(), result.duplicates()));
        s.append("cycle  heap-after-GC(KiB)  test-bookkeeping(KiB)  classes  open-fds  cycle-ms  gc-ms  gcs  "
                + "install/in-effect/update/in-effect/uninstall/absent(ms)\n");
        for (Sample sample : samples) {
            s.append(String.format(Locale.ROOT, "%5d  %18d  %21d  %7d  %8d  %8d  %5d  %3d  %s%n", sample.cycle(),
                    sample.heapBytes() / 1024, sample.bookkeepingBytes() / 1024, sample.loadedClasses(),
                    sample.openFiles(), sample.cycleMillis(), sample.gcMillis(), sample.gcs(), sample.steps()));
        }
        System.out.println(s);
    }

    /** How long each step of a cycle took. */
    private static final class Steps {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void done() {
            long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : "/").append((now - last) / 1_000_000);
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private void assertConnected(String when) {
        assertTrue("load connections lost " + when + ": " + load.lostConnections(), load.lostConnections().isEmpty());
        assertTrue("every load client connected " + when, load.allConnected());
        assertTrue("probe connections lost " + when + ": " + probeConnectionsLost, probeConnectionsLost.isEmpty());
    }

    // ------------------------------------------------------------------------------------------------ clients

    private MqttConnectOptions login(String username, String password) {
        MqttConnectOptions options = mqtt.options();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setConnectionTimeout(10);
        return options;
    }

    /** A client that stays connected for the whole test; what it receives lands in {@link #probeMessages}. */
    private MqttClient probeClient(String id, MqttConnectOptions options) throws MqttException {
        return probeClient(id, options, probeMessages);
    }

    private MqttClient probeClient(String id, MqttConnectOptions options, BlockingQueue<String> into)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqtt.port(), id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                probeConnectionsLost.add(id + ": " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic + " " + new String(message.getPayload(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        c.connect(options);
        probes.add(c);
        return c;
    }

    /**
     * A CONNECT (MQTT 3.1.1, clean session) on a plain socket, then DISCONNECT: quicker than a Paho client, whose
     * connect takes about 300 ms here however fast the broker answers.
     *
     * @param username {@code null} for none
     * @param password {@code null} for none
     * @return the CONNACK return code
     */
    private int connack(String clientId, String username, String password) throws java.io.IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(4);
        body.write(0x02 | (username != null ? 0x80 : 0) | (password != null ? 0x40 : 0));
        body.write(0);
        body.write(60);
        writeString(body, clientId);
        if (username != null) {
            writeString(body, username);
        }
        if (password != null) {
            writeString(body, password);
        }
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", mqtt.port())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(0x10);
            int length = body.size();
            do {
                int digit = length % 128;
                length /= 128;
                out.write(length > 0 ? digit | 0x80 : digit);
            } while (length > 0);
            body.writeTo(out);
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            byte[] answer = new byte[4];
            in.readFully(answer);
            assertEquals("CONNACK", 0x20, answer[0] & 0xFF);
            int code = answer[3] & 0xFF;
            if (code == 0) {
                out.write(new byte[] {(byte) 0xE0, 0});
                out.flush();
            }
            return code;
        }
    }

    private static void writeString(java.io.ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.write(bytes, 0, bytes.length);
    }

    // ------------------------------------------------------------------------------------------------ files

    /** @return a password file line in Mosquitto 2's {@code $7$} form (PBKDF2-HMAC-SHA512, few iterations) */
    private static String passwordLine(String username, String password) throws Exception {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        int iterations = 101;
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 512)).getEncoded();
        Base64.Encoder base64 = Base64.getEncoder();
        return username + ":$7$" + iterations + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(hash)
                + "\n";
    }

    /**
     * dynamic-security.json: the admin (commands over $CONTROL) and "load", which may publish to load/# and
     * probe/allowed (not probe/denied) and subscribe to load/# and probe/#.
     */
    private static String dynamicSecurityJson() throws Exception {
        return """
                {
                  "defaultACLAccess": {"publishClientSend": false, "publishClientReceive": true,
                                       "subscribe": false, "unsubscribe": true},
                  "clients": [
                    {"username": "admin", %s, "roles": [{"rolename": "admin"}]},
                    {"username": "load", %s, "roles": [{"rolename": "load"}]}
                  ],
                  "groups": [],
                  "roles": [
                    {"rolename": "admin", "acls": [
                      {"acltype": "publishClientSend", "topic": "$CONTROL/dynamic-security/#", "allow": true},
                      {"acltype": "publishClientReceive", "topic": "$CONTROL/dynamic-security/#", "allow": true},
                      {"acltype": "subscribePattern", "topic": "$CONTROL/dynamic-security/#", "allow": true}]},
                    {"rolename": "load", "acls": [
                      {"acltype": "publishClientSend", "topic": "load/#", "allow": true},
                      {"acltype": "publishClientSend", "topic": "probe/allowed", "allow": true},
                      {"acltype": "subscribePattern", "topic": "load/#", "allow": true},
                      {"acltype": "subscribePattern", "topic": "probe/#", "allow": true}]}
                  ]
                }
                """.formatted(dynsecPassword("admin-pw"), dynsecPassword("load-pw"));
    }

    /** @return Mosquitto's password members: base64 PBKDF2-HMAC-SHA512 of the password, 12-byte salt, iterations */
    private static String dynsecPassword(String password) throws Exception {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        int iterations = 101;
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 512)).getEncoded();
        return "\"password\": \"" + Base64.getEncoder().encodeToString(hash) + "\", \"salt\": \""
                + Base64.getEncoder().encodeToString(salt) + "\", \"iterations\": " + iterations;
    }
}
