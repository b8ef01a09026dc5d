package io.culex.itest.osgi;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Paho MQTT 3.1.1 clients against the broker in the container (or a broker process, for the black-box tests), on
 * one loopback port; every message any of them receives lands in one queue as {@code "<topic> <payload>"}, or in
 * the queue a client was given.
 */
public final class MqttProbe {

    private final int port;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    MqttProbe() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    /** @param port a broker's port on 127.0.0.1 */
    public MqttProbe(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    MqttConnectOptions options() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        return options;
    }

    /** @return a connected client */
    MqttClient client(String id) throws MqttException {
        return client(id, options());
    }

    MqttClient client(String id, MqttConnectOptions options) throws MqttException {
        return client(id, options, received);
    }

    /** @return a connected client whose messages land in {@code into} instead of the shared queue */
    public MqttClient client(String id, MqttConnectOptions options, BlockingQueue<String> into)
            throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        c.connect(options);
        return c;
    }

    static void publish(MqttClient c, String topic, String text) throws MqttException {
        c.publish(topic, text.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** @return the next message any client received, waiting up to 10 s */
    String next() throws InterruptedException {
        return next(received);
    }

    /** @return the next message any client received within the time, or {@code null} */
    String poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** @return the next message of {@code queue}, waiting up to 10 s */
    static String next(BlockingQueue<String> queue) throws InterruptedException {
        String m = queue.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s");
        }
        return m;
    }

    /** Configure a listener on this probe's port, on loopback (not yet open: see {@link #awaitListening()}). */
    void configureListener(org.osgi.service.cm.ConfigurationAdmin configurationAdmin) throws IOException {
        java.util.Dictionary<String, Object> listener = new java.util.Hashtable<>();
        listener.put("port", port);
        listener.put("bind_address", "127.0.0.1");
        configurationAdmin.createFactoryConfiguration("io.culex.core.listener", "?").update(listener);
    }

    /** The common start: a broker allowing anonymous clients and this probe's listener, open. */
    void startAnonymousBroker(org.osgi.service.cm.ConfigurationAdmin configurationAdmin)
            throws IOException, InterruptedException {
        java.util.Dictionary<String, Object> broker = new java.util.Hashtable<>();
        broker.put("allow_anonymous", true);
        configurationAdmin.getConfiguration("io.culex.core.broker", "?").update(broker);
        configureListener(configurationAdmin);
        awaitListening();
    }

    /** Wait until the listener accepts connections (Config Admin configures it asynchronously). */
    void awaitListening() throws InterruptedException {
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
