package io.culex.core.internal.protocol;

import io.culex.core.internal.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;

/**
 * Small MQTT 5 helpers: reading properties, building DISCONNECT and AUTH, mapping 3.1.1 return codes.
 */
final class Mqtt5Packets {

    private Mqtt5Packets() {
    }

    /** @return an integer property's value, or {@code null} if absent */
    static Integer intProperty(MqttProperties properties, int id) {
        if (properties == null) {
            return null;
        }
        MqttProperties.MqttProperty<?> p = properties.getProperty(id);
        return p == null ? null : (Integer) p.value();
    }

    /** @return a string property's value, or {@code null} if absent */
    static String stringProperty(MqttProperties properties, int id) {
        MqttProperties.MqttProperty<?> p = properties == null ? null : properties.getProperty(id);
        return p == null ? null : (String) p.value();
    }

    /** @return a binary property's value, or {@code null} if absent */
    static byte[] binaryProperty(MqttProperties properties, int id) {
        MqttProperties.MqttProperty<?> p = properties == null ? null : properties.getProperty(id);
        return p == null ? null : (byte[]) p.value();
    }

    /** @return an AUTH packet with the reason code, the method and (if not {@code null}) the data */
    static MqttMessage auth(int reasonCode, String method, byte[] data) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, method));
        if (data != null) {
            properties.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, data));
        }
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, properties));
    }

    /** @return a session expiry interval in seconds; 0xFFFFFFFF means never */
    static long expirySeconds(int wireValue) {
        return wireValue == -1 ? Session.NEVER_EXPIRES : Integer.toUnsignedLong(wireValue);
    }

    /** @return the reason code of an MQTT 5 PUBACK/PUBREC/PUBREL/PUBCOMP, 0 when absent */
    static int replyReasonCode(MqttMessage packet) {
        Object header = packet.variableHeader();
        return header instanceof MqttPubReplyMessageVariableHeader
                ? ((MqttPubReplyMessageVariableHeader) header).reasonCode() & 0xFF : 0;
    }

    /** @return an MQTT 5 CONNACK refusing the connection with the reason code, without properties */
    static ByteBuf refusal(ByteBufAllocator alloc, int reasonCode) {
        return alloc.buffer(5, 5).writeByte(0x20).writeByte(3).writeByte(0).writeByte(reasonCode).writeByte(0);
    }

    /** @return a server DISCONNECT with the reason code */
    static MqttMessage disconnect(int reasonCode) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, MqttProperties.NO_PROPERTIES));
    }

    /** @return the MQTT 5 CONNACK reason code for an MQTT 3.1.1 return code */
    static MqttConnectReturnCode toMqtt5(MqttConnectReturnCode code) {
        switch (code) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION:
                return MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED:
                return MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE:
                return MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD:
                return MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CONNECTION_REFUSED_NOT_AUTHORIZED:
                return MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            default:
                return code;
        }
    }
}
