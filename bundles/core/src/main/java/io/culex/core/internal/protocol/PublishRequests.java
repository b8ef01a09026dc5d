package io.culex.core.internal.protocol;

import io.culex.core.internal.codec.PublishEncoding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Access;
import io.culex.api.AccessDecision;
import io.culex.api.Decision;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.MessageProperties;
import io.culex.core.internal.routing.Settlement;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * PUBLISH from one connected client: topic aliases, validation, limits, the access check, routing, and the
 * acknowledgement (with its MQTT 5 reason code). Runs on the connection's loop.
 */
final class PublishRequests {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final MqttConnection connection;
    private final Engine engine;
    private final ListenerSettings listener;
    /** MQTT 5 topic aliases the client set, by alias (index 0 unused). */
    private String[] topicAliases = new String[0];

    PublishRequests(MqttConnection connection, Engine engine, ListenerSettings listener) {
        this.connection = connection;
        this.engine = engine;
        this.listener = listener;
    }

    /** The connection was accepted: the client may now set up to {@code max_topic_alias} aliases. */
    void acceptTopicAliases() {
        topicAliases = new String[listener.maxTopicAlias + 1];
    }

    void onPublish(MqttPublishMessage publish) {
        MqttFixedHeader fixed = publish.fixedHeader();
        String topic = publish.variableHeader().topicName();
        int qos = fixed.qosLevel().value();
        boolean retain = fixed.isRetain();
        int packetId = publish.variableHeader().packetId();
        MqttProperties properties = connection.isMqtt5() ? publish.variableHeader().properties() : MqttProperties.NO_PROPERTIES;
        if (connection.isMqtt5()) {
            topic = resolveTopicAlias(topic, properties);
            if (topic == null) {
                return;
            }
        }
        if (!Topics.isValidTopicName(topic)) {
            connection.protocolViolation("invalid topic '" + topic + "' in PUBLISH", ReasonCodes.TOPIC_NAME_INVALID);
            return;
        }
        topic = connection.mounted(topic);
        if (qos > listener.maxQos) {
            connection.protocolViolation("PUBLISH with QoS " + qos + " above max_qos " + listener.maxQos,
                    ReasonCodes.QOS_NOT_SUPPORTED);
            return;
        }
        BrokerSettings settings = engine.settings();
        if (retain && !settings.retainAvailable) {
            connection.protocolViolation("retained message while retain_available is false", ReasonCodes.RETAIN_NOT_SUPPORTED);
            return;
        }
        ByteBuf payload = publish.payload();
        int size = payload.readableBytes();
        engine.stats().publishReceived(size);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Received PUBLISH from {} (d{}, q{}, r{}, m{}, '{}', ... ({} bytes))", connection.clientContext().clientId(),
                    fixed.isDup() ? 1 : 0, qos, retain ? 1 : 0, packetId, topic, size);
        }
        if (qos == 2 && !connection.session().beginIncomingQos2(packetId)) {
            // a retransmission, routed before
            connection.acknowledge(PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBREC, packetId));
            return;
        }
        if (connection.isMqtt5() && qos == 2 && connection.session().incomingQos2Pending() > connection.serverReceiveMaximum()) {
            connection.protocolViolation("more QoS 2 messages in flight than the Receive Maximum "
                    + connection.serverReceiveMaximum(), ReasonCodes.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        int reason = ReasonCodes.SUCCESS;
        String reasonString = null;
        AccessDecision access;
        Settlement settlement = null;
        MessageProperties forwarded = MessageProperties.of(properties);
        if (settings.messageSizeLimit > 0 && size > settings.messageSizeLimit) {
            LOG.info("Dropped too large PUBLISH from {} (q{}, r{}, '{}', {} bytes, message_size_limit {}).",
                    connection.clientContext().clientId(), qos, retain ? 1 : 0, topic, size, settings.messageSizeLimit);
            engine.stats().publishDropped();
            reason = ReasonCodes.PACKET_TOO_LARGE;
        } else if (forwarded.isUtf8Payload() && !Utf8.isValid(payload)) {
            LOG.info("Dropped PUBLISH from {} to '{}': payload format indicator says UTF-8, the payload is not.",
                    connection.clientContext().clientId(), topic);
            reason = ReasonCodes.PAYLOAD_FORMAT_INVALID;
        } else if (Topics.isReadOnlyForClients(topic)) {
            LOG.debug("Denied PUBLISH from {} to read-only topic '{}'", connection.clientContext().clientId(), topic);
            reason = ReasonCodes.NOT_AUTHORIZED;
        } else if ((access = engine.access().check(connection.clientContext(), Access.PUBLISH, topic, qos, retain))
                .decision() != Decision.ALLOW) {
            LOG.info("Denied PUBLISH from {} (q{}, r{}, '{}', {} bytes).", connection.clientContext().clientId(), qos, retain ? 1 : 0,
                    topic, size);
            reason = ReasonCodes.publishDenial(access);
            reasonString = access.reasonString();
        } else {
            ByteBuf copy = size == 0 ? Unpooled.EMPTY_BUFFER : connection.alloc().buffer(size, size).writeBytes(payload);
            Integer expiry = Mqtt5Packets.intProperty(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
            long expiresAt = expiry == null ? Long.MAX_VALUE : Message.expiryFromNow(Integer.toUnsignedLong(expiry));
            Message message = new Message(topic, copy, qos, retain, connection.clientContext().clientId(), forwarded, expiresAt);
            if (qos > 0 && engine.acknowledgementsWait()) {
                // the acknowledgement waits until every delivery was made (those held by a bundle's subscription
                // completed) and the stores made them durable
                settlement = new Settlement();
                message.settleWith(settlement);
            }
            try {
                int routed = engine.publish(message, connection.clientContext(), connection.loop(), connection);
                if (routed == Engine.DENIED) {
                    reason = ReasonCodes.NOT_AUTHORIZED;
                } else if (routed == 0) {
                    reason = ReasonCodes.NO_MATCHING_SUBSCRIBERS;
                }
            } finally {
                message.release();
            }
        }
        if (!connection.isMqtt5()) {
            reason = ReasonCodes.SUCCESS; // MQTT 3.x cannot say no: the message is acknowledged either way
        }
        if (qos == 0) {
            return;
        }
        if (settlement == null) {
            connection.acknowledge(acknowledgement(qos, packetId, reason,
                    connection.requestsProblemInformation() ? reasonString : null));
            return;
        }
        Acknowledgements.Slot slot = connection.reserveAcknowledgement();
        int outcome = reason;
        String t = topic;
        Settlement s = settlement;
        // a QoS 2 packet id of a stored session is an event too: PUBREC waits for it
        boolean storedQos2 = qos == 2 && connection.session().isStored();
        s.whenSettled(() -> {
            if (s.isStored() || storedQos2) {
                connection.completeWhenDurable(slot, failure -> failure == null
                        ? acknowledgement(qos, packetId, outcome, null) : notDurable(qos, packetId, t, failure));
            } else {
                connection.completeNow(slot, () -> acknowledgement(qos, packetId, outcome, null));
            }
        });
    }

    /** @param reasonString an MQTT 5 Reason String, or {@code null} */
    private Object acknowledgement(int qos, int packetId, int reason, String reasonString) {
        if (qos == 1) {
            return PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBACK, packetId, reason, reasonString);
        }
        if (reason >= 0x80) {
            connection.session().endIncomingQos2(packetId); // an error PUBREC ends the exchange
        }
        return PublishEncoding.ack(connection.alloc(), PublishEncoding.PUBREC, packetId, reason, reasonString);
    }

    /**
     * The stores could not make the message durable: an MQTT 5 publisher is told (0x80), an MQTT 3.x one cannot
     * be and is disconnected without acknowledgement, so that it sends the message again.
     *
     * @return the acknowledgement to send, or {@code null} (the connection is closing)
     */
    private Object notDurable(int qos, int packetId, String topic, Throwable failure) {
        LOG.warn("Client {}: message to '{}' could not be made durable ({}); {}.",
                connection.clientContext().clientId(), topic, failure.toString(),
                connection.isMqtt5() ? "refused with 0x80" : "disconnecting without acknowledgement");
        if (connection.isMqtt5()) {
            return acknowledgement(qos, packetId, ReasonCodes.UNSPECIFIED_ERROR, null);
        }
        connection.close("store failure", ReasonCodes.UNSPECIFIED_ERROR);
        return null;
    }

    /**
     * MQTT 5 topic aliases from the connection.clientContext(): an alias with a topic sets it, an alias with an empty topic uses it.
     *
     * @return the topic, or {@code null} if the connection was closed for a bad alias
     */
    private String resolveTopicAlias(String topic, MqttProperties properties) {
        Integer alias = Mqtt5Packets.intProperty(properties, MqttProperties.TOPIC_ALIAS);
        if (alias == null) {
            return topic;
        }
        if (alias == 0 || alias >= topicAliases.length) {
            connection.protocolViolation("topic alias " + alias + " outside 1.." + (topicAliases.length - 1),
                    ReasonCodes.TOPIC_ALIAS_INVALID);
            return null;
        }
        if (topic.isEmpty()) {
            String known = topicAliases[alias];
            if (known == null) {
                connection.protocolViolation("unknown topic alias " + alias, ReasonCodes.PROTOCOL_ERROR);
            }
            return known;
        }
        topicAliases[alias] = topic;
        return topic;
    }
}
