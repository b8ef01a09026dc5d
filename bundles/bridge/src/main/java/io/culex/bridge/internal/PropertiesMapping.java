package io.culex.bridge.internal;

import java.util.Map;

import io.culex.api.DeliveredMessage;
import io.culex.api.PublishBuilder;
import io.culex.api.PublishProperties;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;

/**
 * The MQTT 5 properties a bridged message keeps, both ways (MQTT 5 bridges only): payload format, content type,
 * response topic, correlation data, user properties and the expiry left. Topic aliases and subscription
 * identifiers belong to one connection and do not cross.
 */
final class PropertiesMapping {

    private PropertiesMapping() {
    }

    /** @return the PUBLISH properties for a local message sent to the remote broker */
    static MqttProperties toRemote(DeliveredMessage message) {
        MqttProperties properties = new MqttProperties();
        PublishProperties forwarded = message.properties();
        if (forwarded.payloadFormatUtf8()) {
            properties.add(new IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        if (forwarded.contentType() != null) {
            properties.add(new StringProperty(MqttProperties.CONTENT_TYPE, forwarded.contentType()));
        }
        if (forwarded.responseTopic() != null) {
            properties.add(new StringProperty(MqttProperties.RESPONSE_TOPIC, forwarded.responseTopic()));
        }
        byte[] correlation = forwarded.correlationData();
        if (correlation != null) {
            properties.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, correlation));
        }
        for (Map.Entry<String, String> user : forwarded.userProperties()) {
            properties.add(new UserProperty(user.getKey(), user.getValue()));
        }
        if (message.messageExpiryInterval() >= 0) {
            properties.add(new IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) message.messageExpiryInterval()));
        }
        return properties;
    }

    /** Copies a remote PUBLISH's properties onto the local message. */
    static void toLocal(MqttProperties properties, PublishBuilder message) {
        if (properties == null || properties.isEmpty()) {
            return;
        }
        if (properties.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR) instanceof IntegerProperty format) {
            message.payloadFormatUtf8(format.value() == 1);
        }
        if (properties.getProperty(MqttProperties.CONTENT_TYPE) instanceof StringProperty contentType) {
            message.contentType(contentType.value());
        }
        if (properties.getProperty(MqttProperties.RESPONSE_TOPIC) instanceof StringProperty responseTopic) {
            message.responseTopic(responseTopic.value());
        }
        if (properties.getProperty(MqttProperties.CORRELATION_DATA) instanceof BinaryProperty correlation) {
            message.correlationData(correlation.value());
        }
        if (properties.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL) instanceof IntegerProperty expiry) {
            message.messageExpiryInterval(Integer.toUnsignedLong(expiry.value()));
        }
        for (MqttProperty<?> property : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            if (property.value() instanceof StringPair pair) {
                message.userProperty(pair.key, pair.value);
            }
        }
    }
}
