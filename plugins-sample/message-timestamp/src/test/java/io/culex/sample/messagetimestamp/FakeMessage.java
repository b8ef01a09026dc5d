package io.culex.sample.messagetimestamp;

import java.nio.charset.StandardCharsets;

import io.culex.api.InterceptedMessage;

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
}
