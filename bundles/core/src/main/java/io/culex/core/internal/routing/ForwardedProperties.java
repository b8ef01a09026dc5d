package io.culex.core.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.culex.api.PublishProperties;
import io.netty.handler.codec.mqtt.MqttProperties;

/** The forwarded MQTT 5 properties of a message as the API shows them, decoded from their wire form once. */
public final class ForwardedProperties implements PublishProperties {

    public static final ForwardedProperties NONE = new ForwardedProperties(false, null, null, null, List.of());

    private final boolean utf8;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<Map.Entry<String, String>> userProperties;

    private ForwardedProperties(boolean utf8, String contentType, String responseTopic, byte[] correlationData,
                                List<Map.Entry<String, String>> userProperties) {
        this.utf8 = utf8;
        this.contentType = contentType;
        this.responseTopic = responseTopic;
        this.correlationData = correlationData;
        this.userProperties = userProperties;
    }

    /**
     * @return properties with these values (for a message a bundle publishes)
     */
    public static ForwardedProperties of(boolean utf8, String contentType, String responseTopic,
                                         byte[] correlationData, List<Map.Entry<String, String>> userProperties) {
        return new ForwardedProperties(utf8, contentType, responseTopic,
                correlationData == null ? null : correlationData.clone(), List.copyOf(userProperties));
    }

    /** @return the properties {@link MessageProperties} keeps in wire form */
    public static ForwardedProperties of(MessageProperties properties) {
        if (properties.isEmpty()) {
            return NONE;
        }
        byte[] w = properties.wire();
        boolean utf8 = false;
        String contentType = null;
        String responseTopic = null;
        byte[] correlation = null;
        List<Map.Entry<String, String>> user = new ArrayList<>();
        int i = 0;
        while (i < w.length) {
            int id = w[i++] & 0xFF;
            switch (id) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR:
                    utf8 = w[i++] == 1;
                    break;
                case MqttProperties.CONTENT_TYPE:
                    contentType = string(w, i);
                    i += 2 + length(w, i);
                    break;
                case MqttProperties.RESPONSE_TOPIC:
                    responseTopic = string(w, i);
                    i += 2 + length(w, i);
                    break;
                case MqttProperties.CORRELATION_DATA:
                    int n = length(w, i);
                    correlation = java.util.Arrays.copyOfRange(w, i + 2, i + 2 + n);
                    i += 2 + n;
                    break;
                case MqttProperties.USER_PROPERTY:
                    String name = string(w, i);
                    i += 2 + length(w, i);
                    String value = string(w, i);
                    i += 2 + length(w, i);
                    user.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
                    break;
                default:
                    throw new IllegalStateException("property " + id + " is not forwarded"); // MessageProperties writes only these
            }
        }
        return new ForwardedProperties(utf8, contentType, responseTopic, correlation,
                Collections.unmodifiableList(user));
    }

    /** @return these properties for {@link MessageProperties#of}, with user properties added at the end */
    public MqttProperties toMqttProperties(List<Map.Entry<String, String>> addedUserProperties) {
        MqttProperties p = new MqttProperties();
        if (utf8) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        if (contentType != null) {
            p.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, contentType));
        }
        if (responseTopic != null) {
            p.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, responseTopic));
        }
        if (correlationData != null) {
            p.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, correlationData));
        }
        List<MqttProperties.StringPair> user = new ArrayList<>();
        for (Map.Entry<String, String> e : userProperties) {
            user.add(new MqttProperties.StringPair(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, String> e : addedUserProperties) {
            user.add(new MqttProperties.StringPair(e.getKey(), e.getValue()));
        }
        if (!user.isEmpty()) {
            p.add(new MqttProperties.UserProperties(user));
        }
        return p;
    }

    private static int length(byte[] w, int at) {
        return ((w[at] & 0xFF) << 8) | (w[at + 1] & 0xFF);
    }

    private static String string(byte[] w, int at) {
        return new String(w, at + 2, length(w, at), StandardCharsets.UTF_8);
    }

    @Override
    public boolean payloadFormatUtf8() {
        return utf8;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public String responseTopic() {
        return responseTopic;
    }

    @Override
    public byte[] correlationData() {
        return correlationData == null ? null : correlationData.clone();
    }

    @Override
    public List<Map.Entry<String, String>> userProperties() {
        return userProperties;
    }
}
