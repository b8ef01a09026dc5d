package io.culex.itest.blackbox;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An administrator of the dynamic-security plugin speaking its JSON API directly: publishes requests to
 * {@code $CONTROL/dynamic-security/v1} and takes the answers from {@code $CONTROL/dynamic-security/v1/response}, in
 * order, one answer per request.
 */
final class DynsecClient implements AutoCloseable {

    static final String TOPIC = "$CONTROL/dynamic-security/v1";
    static final String RESPONSE_TOPIC = TOPIC + "/response";
    static final ObjectMapper JSON = new ObjectMapper();

    private final MqttClient client;
    private final BlockingQueue<String> responses = new LinkedBlockingQueue<>();

    private DynsecClient(MqttClient client) {
        this.client = client;
    }

    /** Connects with the credentials and subscribes to the response topic (returns after the SUBACK). */
    static DynsecClient connect(int port, String username, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, MqttClient.generateClientId(),
                new MemoryPersistence());
        DynsecClient admin = new DynsecClient(client);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // the next request times out and says so
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                admin.responses.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // publish() is synchronous
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setMaxInflight(1000);
        client.setTimeToWait(10_000);
        client.connect(options);
        client.subscribe(RESPONSE_TOPIC, 1);
        return admin;
    }

    /** Publishes the payload (QoS 1) without waiting for the answer. */
    void publish(String payload) throws MqttException {
        publish(payload, 1);
    }

    /** Publishes the payload with the QoS without waiting for the answer (QoS 0: not even for the PUBACK). */
    void publish(String payload, int qos) throws MqttException {
        client.publish(TOPIC, payload.getBytes(StandardCharsets.UTF_8), qos, false);
    }

    /** Publishes the payload and returns the answer, waiting up to 10 s for it. */
    String send(String payload) throws MqttException, InterruptedException {
        publish(payload);
        String response = poll(10_000);
        if (response == null) {
            throw new AssertionError("no response within 10 s to " + payload);
        }
        return response;
    }

    /** The answer to the payload, parsed. */
    JsonNode request(String payload) throws Exception {
        return JSON.readTree(send(payload));
    }

    /** One command object (JSON text), sent as the only command of a payload; returns its own response object. */
    JsonNode command(String command) throws Exception {
        return request("{\"commands\":[" + command + "]}").path("responses").path(0);
    }

    /** The next answer, or null after the time. */
    String poll(long millis) throws InterruptedException {
        return responses.poll(millis, TimeUnit.MILLISECONDS);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000);
            }
        } catch (MqttException brokerGone) {
            // e.g. killed by the test
        } finally {
            client.close(true);
        }
    }
}
