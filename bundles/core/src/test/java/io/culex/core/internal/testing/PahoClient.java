package io.culex.core.internal.testing;

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
 * An Eclipse Paho MQTT 3.1.1 client that queues what it receives, so tests can await messages.
 */
public final class PahoClient implements AutoCloseable {

    /** A received message with its topic. */
    public static final class Received {
        public final String topic;
        public final MqttMessage message;

        Received(String topic, MqttMessage message) {
            this.topic = topic;
            this.message = message;
        }

        public String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return topic + " q" + message.getQos() + (message.isRetained() ? " r" : "") + " " + text();
        }
    }

    private final MqttClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Throwable lost;

    public PahoClient(String uri, String clientId) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost = cause;
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
    }

    public static PahoClient connect(String uri, String clientId) throws MqttException {
        PahoClient c = new PahoClient(uri, clientId);
        c.connect(true);
        return c;
    }

    public void connect(boolean cleanSession) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        connect(options);
    }

    public void connect(MqttConnectOptions options) throws MqttException {
        client.connect(options);
    }

    public MqttClient raw() {
        return client;
    }

    public void subscribe(String filter, int qos) throws MqttException {
        client.subscribe(filter, qos);
    }

    public void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /** @return the next message, waiting up to 10 seconds; fails if none comes */
    public Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message arrived within 10 s");
        }
        return r;
    }

    /** @return a message if one arrives within the given time, else {@code null} */
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    public Throwable connectionLostCause() {
        return lost;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public void disconnect() throws MqttException {
        client.disconnect();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(1000, 1000);
        }
        client.close(true);
    }
}
