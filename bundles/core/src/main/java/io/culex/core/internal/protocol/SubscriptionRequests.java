package io.culex.core.internal.protocol;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Access;
import io.culex.api.AccessDecision;
import io.culex.api.Decision;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.SharedFilter;
import io.culex.core.internal.routing.Subscription;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.settings.BrokerSettings;
import io.culex.core.internal.settings.ListenerSettings;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connected client: validation, access checks, options, the acknowledgement with
 * its return or reason codes, and the retained messages a new subscription gets. Runs on the connection's loop.
 */
final class SubscriptionRequests {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private final MqttConnection connection;
    private final Engine engine;
    private final ListenerSettings listener;

    SubscriptionRequests(MqttConnection connection, Engine engine, ListenerSettings listener) {
        this.connection = connection;
        this.engine = engine;
        this.listener = listener;
    }

    void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            connection.protocolViolation("SUBSCRIBE without topic filters");
            return;
        }
        for (MqttTopicSubscription s : requested) {
            SharedFilter shared = SharedFilter.parse(s.topicFilter());
            if (shared != null ? !shared.isValid() : !Topics.isValidTopicFilter(s.topicFilter())) {
                connection.protocolViolation("invalid subscription filter '" + s.topicFilter() + "'",
                        ReasonCodes.TOPIC_NAME_INVALID);
                return;
            }
            if (shared != null && connection.isMqtt5() && s.option().isNoLocal()) {
                connection.protocolViolation("no local on shared subscription '" + s.topicFilter() + "'");
                return;
            }
        }
        int subscriptionId = 0;
        if (connection.isMqtt5()) {
            Integer id = Mqtt5Packets.intProperty(subscribe.idAndPropertiesVariableHeader().properties(),
                    MqttProperties.SUBSCRIPTION_IDENTIFIER);
            if (id != null) {
                if (id == 0) {
                    connection.protocolViolation("subscription identifier 0");
                    return;
                }
                subscriptionId = id;
            }
        }
        int[] granted = new int[requested.size()];
        String reasonString = null;
        List<Message> retained = new ArrayList<>();
        List<Subscription> retainedFor = new ArrayList<>();
        for (int i = 0; i < granted.length; i++) {
            MqttTopicSubscription s = requested.get(i);
            String filter = connection.mountedFilter(s.topicFilter());
            MqttSubscriptionOption option = s.option();
            int qos = Math.min(option.qos().value(), listener.maxQos);
            SharedFilter shared = SharedFilter.parse(filter);
            // the ACL sees the topic filter a shared subscription matches, without its $share/<group>/ prefix
            String checked = shared == null ? filter : shared.filter();
            AccessDecision access = engine.access().check(connection.clientContext(), Access.SUBSCRIBE, checked, qos,
                    false);
            if (access.decision() != Decision.ALLOW) {
                LOG.info("Denied SUBSCRIBE from {} to '{}'.", connection.clientContext().clientId(), filter);
                granted[i] = connection.isMqtt5() ? ReasonCodes.subscribeDenial(access) : MqttQoS.FAILURE.value();
                if (reasonString == null) {
                    reasonString = access.reasonString();
                }
                continue;
            }
            Subscription subscription = connection.isMqtt5()
                    ? new Subscription(connection.session(), filter, qos, option.isNoLocal(), option.isRetainAsPublished(),
                            option.retainHandling().value(), subscriptionId)
                    : new Subscription(connection.session(), filter, qos);
            boolean existed = connection.session().subscribe(subscription);
            granted[i] = qos;
            LOG.info(LogMarkers.SUBSCRIBE, "{} {} {}", connection.clientContext().clientId(), qos, filter);
            int retainHandling = subscription.retainHandling();
            // MQTT 5 4.8.2: retained messages are not sent for a shared subscription
            if (shared == null && (retainHandling == 0 || (retainHandling == 1 && !existed))) {
                int before = retained.size();
                engine.retained().match(filter, retained);
                for (int j = before; j < retained.size(); j++) {
                    retainedFor.add(subscription);
                }
            }
        }
        MqttSubAckMessage suback = new MqttSubAckMessage(
                new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                idAndReason(subscribe.variableHeader().messageId(), reasonString),
                new MqttSubAckPayload(granted));
        // not held for the store's durability: the retained messages that follow must not overtake it, and every
        // acknowledged PUBLISH after it makes the subscription durable with it (a store is a log in event order)
        connection.acknowledge(suback);
        for (int i = 0; i < granted.length; i++) {
            if (granted[i] <= 2) {
                engine.events().subscribed(connection.clientContext(), requested.get(i).topicFilter(), granted[i]);
            }
        }
        BrokerSettings settings = engine.settings();
        for (int i = 0; i < retained.size(); i++) {
            Message m = retained.get(i);
            try {
                Subscription sub = retainedFor.get(i);
                int qos = settings.upgradeOutgoingQos ? sub.qos() : Math.min(m.qos(), sub.qos());
                connection.session().deliverRetained(m, qos, sub.subscriptionIds());
            } finally {
                m.release();
            }
        }
    }

    void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            connection.protocolViolation("UNSUBSCRIBE without topic filters");
            return;
        }
        for (String filter : filters) {
            if (!Topics.isValidSubscriptionFilter(filter)) {
                connection.protocolViolation("invalid unsubscription filter '" + filter + "'", ReasonCodes.TOPIC_NAME_INVALID);
                return;
            }
        }
        short[] reasons = new short[filters.size()];
        String reasonString = null;
        for (int i = 0; i < reasons.length; i++) {
            String filter = connection.mountedFilter(filters.get(i));
            AccessDecision access = engine.access().check(connection.clientContext(), Access.UNSUBSCRIBE, filter, 0,
                    false);
            if (access.decision() != Decision.ALLOW) {
                LOG.info("Denied UNSUBSCRIBE from {} to '{}'.", connection.clientContext().clientId(), filter);
                reasons[i] = (short) ReasonCodes.unsubscribeDenial(access);
                if (reasonString == null) {
                    reasonString = access.reasonString();
                }
            } else if (connection.session().unsubscribe(filter)) {
                LOG.info(LogMarkers.UNSUBSCRIBE, "{} {}", connection.clientContext().clientId(), filter);
                engine.events().unsubscribed(connection.clientContext(), filter);
            } else {
                reasons[i] = ReasonCodes.NO_SUBSCRIPTION_EXISTED;
            }
        }
        MqttUnsubAckMessage unsuback = new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                idAndReason(unsubscribe.variableHeader().messageId(), reasonString),
                connection.isMqtt5() ? new MqttUnsubAckPayload(reasons) : null);
        connection.acknowledge(unsuback);
    }

    /**
     * @return the packet id, with an MQTT 5 Reason String when an extension gave one and the client did not turn
     *     off Request Problem Information
     */
    private MqttMessageIdAndPropertiesVariableHeader idAndReason(int packetId, String reasonString) {
        if (reasonString == null || !connection.requestsProblemInformation()) {
            return new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES);
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reasonString));
        return new MqttMessageIdAndPropertiesVariableHeader(packetId, properties);
    }
}
