package io.culex.itest.blackbox;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * An Eclipse Paho MQTT 5 client for black-box tests: messages arrive in a queue, the broker's DISCONNECT is kept, and
 * every call waits for its acknowledgement so that its reason codes can be checked.
 */
final class Paho5Client implements AutoCloseable {

    /** One arrived message and its topic. */
    static final class Received {
        final String topic;
        final MqttMessage message;

        Received(String topic, MqttMessage message) {
            this.topic = topic;
            this.message = message;
        }

        String payload() {
            return new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8);
        }

        MqttProperties properties() {
            return message.getProperties();
        }
    }

    private static final long WAIT_MILLIS = 10_000;

    final MqttAsyncClient client;
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
    private IMqttToken connectToken;

    private Paho5Client(int port, String clientId) throws MqttException {
        client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.complete(response);
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                // reported through the tokens of the calls
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                messages.add(new Received(topic, message));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
                // publish() waits for its token
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                // connect() waits for its token
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
                // no enhanced authentication in these tests
            }
        });
    }

    /** @return default options: clean start, no automatic reconnect */
    static MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        return o;
    }

    static Paho5Client connect(int port, String clientId) throws MqttException {
        return connect(port, clientId, options());
    }

    static Paho5Client connect(int port, String clientId, MqttConnectionOptions options) throws MqttException {
        return create(port, clientId, false).connect(options);
    }

    /** @param manualAcks whether the test acknowledges QoS 1/2 messages itself ({@link #ack}) */
    static Paho5Client create(int port, String clientId, boolean manualAcks) throws MqttException {
        Paho5Client c = new Paho5Client(port, clientId);
        c.client.setManualAcks(manualAcks);
        return c;
    }

    Paho5Client connect(MqttConnectionOptions options) throws MqttException {
        connectToken = client.connect(options);
        connectToken.waitForCompletion(WAIT_MILLIS);
        return this;
    }

    /** @return the CONNACK's properties */
    MqttProperties connack() {
        return connectToken.getResponseProperties();
    }

    boolean sessionPresent() {
        return connectToken.getSessionPresent();
    }

    /** @return the SUBACK reason codes */
    int[] subscribe(MqttSubscription subscription) throws MqttException {
        return subscribe(subscription, new MqttProperties());
    }

    int[] subscribe(MqttSubscription subscription, MqttProperties properties) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, properties);
        token.waitForCompletion(WAIT_MILLIS);
        return token.getReasonCodes();
    }

    int[] subscribe(String filter, int qos) throws MqttException {
        return subscribe(new MqttSubscription(filter, qos));
    }

    /** @return the PUBACK/PUBREC reason codes (QoS 1/2), empty for QoS 0 */
    int[] publish(String topic, MqttMessage message) throws MqttException {
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(WAIT_MILLIS);
        int[] codes = token.getReasonCodes();
        return codes == null ? new int[0] : codes;
    }

    int[] publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        m.setQos(qos);
        m.setRetained(retain);
        return publish(topic, m);
    }

    /** @return the next message, waiting up to 10 s */
    Received next() throws InterruptedException {
        Received r = messages.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no message within " + WAIT_MILLIS + " ms");
        }
        return r;
    }

    /** @return the next message within the time, or {@code null} */
    Received poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    void ack(Received received) throws MqttException {
        client.messageArrivedComplete(received.message.getId(), received.message.getQos());
    }

    /** @return the broker's DISCONNECT (or the connection loss), waiting up to 10 s */
    MqttDisconnectResponse awaitDisconnected() throws Exception {
        return disconnected.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A normal DISCONNECT with properties (e.g. a new session expiry interval). */
    void disconnect(MqttProperties properties) throws MqttException {
        client.disconnect(0, null, null, 0, properties).waitForCompletion(WAIT_MILLIS);
    }

    /** Drop the connection without DISCONNECT, as a crashed client would. */
    void drop() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnectForcibly(0, 1000, true);
        }
        client.close(true);
    }
}
