package io.culex.bridge.internal;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;

/**
 * What an MQTT 5 remote broker said in its CONNACK that limits what the bridge may send it: Receive Maximum,
 * Maximum QoS, Retain Available and Maximum Packet Size, and the Server Keep Alive the bridge must use instead of
 * its own ({@code -1}: none given). Breaking one is a protocol error that closes the
 * connection, and a message that always breaks it would be sent again after every reconnection, so the bridge
 * adapts (lower QoS, no retain) or gives the message up. An MQTT 3 remote announces none of these.
 */
record RemoteLimits(int receiveMaximum, int maximumQos, boolean retainAvailable, long maximumPacketSize,
        int serverKeepAlive) {

    static final RemoteLimits NONE = new RemoteLimits(65535, 2, true, Long.MAX_VALUE, -1);

    static RemoteLimits of(MqttConnAckMessage connAck) {
        MqttProperties properties = connAck.variableHeader().properties();
        if (properties == null || properties.isEmpty()) {
            return NONE;
        }
        return new RemoteLimits(
                intProperty(properties, MqttProperties.RECEIVE_MAXIMUM, 65535),
                intProperty(properties, MqttProperties.MAXIMUM_QOS, 2),
                intProperty(properties, MqttProperties.RETAIN_AVAILABLE, 1) == 1,
                Integer.toUnsignedLong(intProperty(properties, MqttProperties.MAXIMUM_PACKET_SIZE, -1)),
                intProperty(properties, MqttProperties.SERVER_KEEP_ALIVE, -1));
    }

    private static int intProperty(MqttProperties properties, int id, int fallback) {
        return properties.getProperty(id) instanceof IntegerProperty property ? property.value() : fallback;
    }

    int qosFor(OutgoingMessage message) {
        return Math.min(message.qos, maximumQos);
    }

    boolean retainFor(OutgoingMessage message) {
        return message.retain && retainAvailable;
    }

    /** @return whether the PUBLISH fits the remote's Maximum Packet Size (a slight overestimate, never under) */
    boolean fits(OutgoingMessage message) {
        if (maximumPacketSize == Long.MAX_VALUE) {
            return true;
        }
        long size = 5 + 2 + (long) message.topic.getBytes(StandardCharsets.UTF_8).length + 2 + message.payload.length
                + 4;
        for (MqttProperty<?> property : message.properties.listAll()) {
            Object value = property.value();
            if (value instanceof String text) {
                size += 3 + text.getBytes(StandardCharsets.UTF_8).length;
            } else if (value instanceof byte[] bytes) {
                size += 3 + bytes.length;
            } else if (value instanceof StringPair pair) {
                size += 5 + pair.key.getBytes(StandardCharsets.UTF_8).length
                        + pair.value.getBytes(StandardCharsets.UTF_8).length;
            } else if (value instanceof Iterable<?> pairs) {
                for (Object each : pairs) {
                    if (each instanceof StringPair pair) {
                        size += 5 + pair.key.getBytes(StandardCharsets.UTF_8).length
                                + pair.value.getBytes(StandardCharsets.UTF_8).length;
                    }
                }
            } else {
                size += 5;
            }
        }
        return size <= maximumPacketSize;
    }
}
