package io.culex.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;

class TryPrivateMarkerTest {

    @Test
    void theConnectLevelGetsTheBridgeBitAndTheMarkerLeaves() {
        EmbeddedChannel channel = new EmbeddedChannel(new TryPrivateMarker(), MqttEncoder.INSTANCE);
        channel.writeOutbound(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                .clientId("edge").keepAlive(60).build());
        ByteBuf connect = channel.readOutbound();
        try {
            assertEquals(0x84, connect.getUnsignedByte(TryPrivateMarker.protocolLevelIndex(connect)));
            assertEquals('T', connect.getByte(TryPrivateMarker.protocolLevelIndex(connect) - 1), "after \"MQTT\"");
        } finally {
            connect.release();
        }
        assertNull(channel.pipeline().get(TryPrivateMarker.class));
        channel.finishAndReleaseAll();
    }

    @Test
    void mqtt31HasALongerProtocolName() {
        EmbeddedChannel channel = new EmbeddedChannel(new TryPrivateMarker(), MqttEncoder.INSTANCE);
        channel.writeOutbound(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1)
                .clientId("edge").keepAlive(60).build());
        ByteBuf connect = channel.readOutbound();
        try {
            assertEquals(0x83, connect.getUnsignedByte(TryPrivateMarker.protocolLevelIndex(connect)));
        } finally {
            connect.release();
        }
        channel.finishAndReleaseAll();
    }
}
