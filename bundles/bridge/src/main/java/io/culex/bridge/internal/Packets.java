package io.culex.bridge.internal;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/** The MQTT packets a bridge sends to its remote broker, and what it reads from theirs. */
final class Packets {

    private Packets() {
    }

    /**
     * The bridge's CONNECT: its identity and session, and (with remote notifications) a retained will carrying the
     * disconnected state, so that the remote side learns of a lost connection.
     */
    static MqttMessage connect(BridgeSettings settings, byte[] disconnectedState) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(settings.protocolVersion())
                .clientId(settings.remoteClientId())
                .cleanSession(settings.cleanSession())
                .keepAlive(settings.keepaliveSeconds());
        if (settings.remoteUsername() != null) {
            connect.hasUser(true).username(settings.remoteUsername());
        }
        if (settings.remotePassword() != null) {
            connect.hasPassword(true).password(settings.remotePassword().getBytes(StandardCharsets.UTF_8));
        }
        if (settings.notifications() && !settings.notificationsLocalOnly()) {
            connect.willFlag(true).willTopic(settings.notificationTopic()).willMessage(disconnectedState)
                    .willQoS(MqttQoS.AT_LEAST_ONCE).willRetain(true);
        }
        if (settings.isV5()) {
            MqttProperties properties = new MqttProperties();
            // cleansession false: the remote keeps the bridge's session (subscriptions, queued messages) for good
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL,
                    settings.cleanSession() ? 0 : -1));
            if (settings.maxPacketSize() > 0) {
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                        settings.maxPacketSize()));
            }
            connect.properties(properties);
        }
        return connect.build();
    }

    /**
     * The PUBLISH for a message, within the remote's limits. The payload buffer wraps the message's bytes and is
     * the encoder's to release, so a message sent again gets a new one.
     */
    static MqttPublishMessage publish(RemoteLimits limits, OutgoingMessage message, int packetId, boolean duplicate) {
        int qos = limits.qosFor(message);
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, duplicate && qos > 0, MqttQoS.valueOf(qos),
                        limits.retainFor(message), 0),
                new MqttPublishVariableHeader(message.topic, qos == 0 ? -1 : packetId, message.properties),
                Unpooled.wrappedBuffer(message.payload));
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP (PUBREL's fixed header has QoS 1, as MQTT requires). */
    static MqttMessage reply(MqttMessageType type, int packetId) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 2),
                MqttMessageIdVariableHeader.from(packetId));
    }

    static MqttMessage disconnect() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    static MqttMessage pingReq() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    static int packetId(MqttMessage message) {
        return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
    }

    /** @return an MQTT 5 acknowledgement's reason code, 0 (success) for MQTT 3 */
    static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
                ? reply.reasonCode() & 0xFF : 0;
    }

    /** @return " (reason 0x..)" for an MQTT 5 DISCONNECT, else empty */
    static String disconnectReason(MqttMessage message) {
        return message.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader reason
                ? " (reason 0x" + Integer.toHexString(reason.reasonCode() & 0xFF) + ")" : "";
    }
}
