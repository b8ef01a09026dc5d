package io.culex.bridge.internal;

import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * A message on its way to the remote broker, from the time the bridge takes it until the remote broker has it
 * (PUBACK, or PUBREC then PUBCOMP). {@code done} runs exactly once then, or when the bridge gives the message up;
 * for a local message it completes the {@link io.culex.api.DeliveredMessage}, which frees its place in the local
 * subscription's queue.
 */
final class OutgoingMessage {

    final String topic;
    final byte[] payload;
    final int qos;
    final boolean retain;
    final MqttProperties properties;
    private final Runnable done;
    private boolean finished;
    /** the packet identifier while in flight, 0 while waiting */
    int packetId;
    /** the bridge's own state notification, not a local message (not counted as one) */
    boolean bridgeState;
    /** QoS 2: PUBREC came, PUBREL sent, PUBCOMP awaited */
    boolean released;

    OutgoingMessage(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties, Runnable done) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.properties = properties;
        this.done = done;
    }

    void finish() {
        if (!finished) {
            finished = true;
            done.run();
        }
    }
}
