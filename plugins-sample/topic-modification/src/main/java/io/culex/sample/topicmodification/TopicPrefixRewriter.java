package io.culex.sample.topicmodification;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.culex.api.ClientInfo;
import io.culex.api.InterceptedMessage;
import io.culex.api.MessageInterceptor;

/**
 * Moves messages from one topic prefix to another before they are routed, as Mosquitto's
 * {@code topic-modification} example plugin does: with the defaults a message published to
 * {@code legacy/kitchen/temp} is delivered (and retained) as {@code devices/kitchen/temp}, so old devices can keep
 * publishing where they always did.
 *
 * <p>Only the published topic changes; subscriptions are not rewritten. Messages published by the broker itself
 * (through the {@code Broker} service) are rewritten too. Configuration (PID
 * {@code io.culex.sample.topicmodification}): {@code from} and {@code to}, the two prefixes; {@code from} must not
 * be empty and {@code to} must make a valid topic name (no wildcards).
 */
@Component(configurationPid = TopicPrefixRewriter.PID, service = MessageInterceptor.class)
@Designate(ocd = TopicPrefixRewriter.Config.class)
public final class TopicPrefixRewriter implements MessageInterceptor {

    static final String PID = "io.culex.sample.topicmodification";

    @ObjectClassDefinition(name = "Culex sample: topic modification")
    public @interface Config {
        @AttributeDefinition(description = "Topic prefix to move messages from")
        String from() default "legacy/";

        @AttributeDefinition(description = "Topic prefix to move them to")
        String to() default "devices/";
    }

    private record Rule(String from, String to) {
    }

    private volatile Rule rule;

    @Activate
    @Modified
    void configure(Config config) {
        String from = config.from();
        String to = config.to();
        if (from.isEmpty()) {
            throw new IllegalArgumentException("'from' must not be empty");
        }
        if (to.contains("+") || to.contains("#")) {
            throw new IllegalArgumentException("'to' must not contain wildcards: '" + to + "'");
        }
        rule = new Rule(from, to);
    }

    @Override
    public Verdict intercept(ClientInfo publisher, InterceptedMessage message) {
        Rule current = rule;
        String topic = message.topic();
        if (topic.startsWith(current.from())) {
            String rewritten = current.to() + topic.substring(current.from().length());
            if (rewritten.isEmpty()) {
                // "from" was the whole topic and "to" is empty: there is no topic left to route to
                return Verdict.DROP;
            }
            message.setTopic(rewritten);
        }
        return Verdict.CONTINUE;
    }
}
