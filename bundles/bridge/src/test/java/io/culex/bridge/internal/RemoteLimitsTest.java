package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;

class RemoteLimitsTest {

    private static OutgoingMessage message(int qos, boolean retain, int payloadSize) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.UserProperty("k", "v"));
        return new OutgoingMessage("t/1", new byte[payloadSize], qos, retain, properties, () -> { });
    }

    @Test
    void anMqtt3RemoteLimitsNothing() {
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build();
        RemoteLimits limits = RemoteLimits.of(connAck);
        assertEquals(2, limits.qosFor(message(2, true, 10)));
        assertTrue(limits.retainFor(message(2, true, 10)));
        assertTrue(limits.fits(message(2, true, 10_000_000)));
    }

    @Test
    void anMqtt5RemotesLimitsAreKept() {
        MqttProperties properties = new MqttProperties();
        properties.add(new IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
        properties.add(new IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
        properties.add(new IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, 100));
        properties.add(new IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 5));
        MqttConnAckMessage connAck = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).properties(properties).build();
        RemoteLimits limits = RemoteLimits.of(connAck);
        assertEquals(5, limits.receiveMaximum());
        assertEquals(1, limits.qosFor(message(2, true, 10)));
        assertFalse(limits.retainFor(message(2, true, 10)));
        assertTrue(limits.fits(message(1, false, 50)));
        assertFalse(limits.fits(message(1, false, 90)), "topic, packet id and properties count too");
    }
}
