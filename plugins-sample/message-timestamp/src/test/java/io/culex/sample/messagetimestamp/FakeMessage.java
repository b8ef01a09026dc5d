package io.culex.sample.messagetimestamp;

import java.nio.charset.StandardCharsets;

import io.culex.api.InterceptedMessage;
import io.culex.api.PublishProperties;

/** The broker's side of the interceptor contract, in memory: what a plugin's unit test needs. */
final class FakeMessage implements InterceptedMessage {
    private String topic;
    private byte[] payload;
    private int qos = 1;
    private boolean retain;

    FakeMessage(String topic, String payload) {
        this.topic = topic;
        this.payload = payload.getBytes(StandardCharsets.UTF_8);
    }

    String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void setTopic(String topic) {
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException(topic);
        }
        this.topic = topic;
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public void setPayload(byte[] payload) {
        this.payload = payload.clone();
    }

    @Override
    public int qos() {
        return qos;
    }

    @Override
    public void setQos(int qos) {
        this.qos = qos;
    }

    @Override
    public boolean retain() {
        return retain;
    }

    @Override
    public void setRetain(boolean retain) {
        this.retain = retain;
    }

    private final java.util.List<java.util.Map.Entry<String, String>> userProperties = new java.util.ArrayList<>();

    @Override
    public PublishProperties properties() {
        return new PublishProperties() {
            @Override public boolean payloadFormatUtf8() { return false; }
            @Override public String contentType() { return null; }
            @Override public String responseTopic() { return null; }
            @Override public byte[] correlationData() { return null; }
            @Override public java.util.List<java.util.Map.Entry<String, String>> userProperties() {
                return java.util.List.copyOf(userProperties);
            }
        };
    }

    @Override
    public long messageExpiryInterval() {
        return -1;
    }

    @Override
    public void addUserProperty(String name, String value) {
        userProperties.add(java.util.Map.entry(name, value));
    }
}
