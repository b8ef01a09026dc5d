package io.culex.itest.blackbox;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A connected Paho client that notes when the broker drops it (a kick), without reconnecting. */
final class WatchedClient implements AutoCloseable {

    private final MqttClient client;
    private final CountDownLatch lost = new CountDownLatch(1);

    private WatchedClient(MqttClient client) {
        this.client = client;
    }

    static WatchedClient connect(int port, String clientId) throws MqttException {
        WatchedClient watched = new WatchedClient(new MqttClient("tcp://127.0.0.1:" + port, clientId,
                new MemoryPersistence()));
        watched.client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                watched.lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(false);
        watched.client.connect(options);
        return watched;
    }

    MqttClient client() {
        return client;
    }

    /** @return whether the broker dropped the connection within the time */
    boolean awaitLost(long seconds) throws InterruptedException {
        return lost.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
