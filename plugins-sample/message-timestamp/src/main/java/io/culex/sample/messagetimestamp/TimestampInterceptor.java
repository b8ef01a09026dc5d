package io.culex.sample.messagetimestamp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

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
 * Prefixes the payload of every message published on matching topics with the time the broker received it, in the
 * spirit of Mosquitto's {@code message-timestamp} and {@code payload-modification} example plugins:
 * {@code 21.5} published at 12:00 UTC is delivered as {@code 2024-05-01T12:00:00.123Z 21.5}.
 *
 * <p>Changing payloads changes what subscribers receive, retained copies included; scope it to the topics that
 * want it. Configuration (PID {@code io.culex.sample.messagetimestamp}): {@code topics}, a topic filter (default
 * {@code #}, which by MQTT's rule never matches {@code $SYS/...}); {@code format}, {@code iso} (default) or
 * {@code millis} (milliseconds since the epoch).
 */
@Component(configurationPid = TimestampInterceptor.PID, service = MessageInterceptor.class)
@Designate(ocd = TimestampInterceptor.Config.class)
public final class TimestampInterceptor implements MessageInterceptor {

    static final String PID = "io.culex.sample.messagetimestamp";

    @ObjectClassDefinition(name = "Culex sample: message timestamp")
    public @interface Config {
        @AttributeDefinition(description = "Topic filter of the messages to stamp")
        String topics() default "#";

        @AttributeDefinition(description = "iso (ISO-8601, UTC) or millis (milliseconds since 1970)")
        String format() default "iso";
    }

    /** The settings as one immutable value, swapped atomically on reconfiguration. */
    private record Settings(TopicFilter topics, boolean millis) {
    }

    private final Clock clock;
    private volatile Settings settings;

    public TimestampInterceptor() {
        this(Clock.systemUTC());
    }

    TimestampInterceptor(Clock clock) {
        this.clock = clock;
    }

    @Activate
    @Modified
    void configure(Config config) {
        String format = config.format().strip();
        if (!format.equals("iso") && !format.equals("millis")) {
            throw new IllegalArgumentException("format must be iso or millis, not '" + format + "'");
        }
        settings = new Settings(new TopicFilter(config.topics().strip()), format.equals("millis"));
    }

    @Override
    public Verdict intercept(ClientInfo publisher, InterceptedMessage message) {
        Settings current = settings;
        if (!current.topics().matches(message.topic())) {
            return Verdict.CONTINUE;
        }
        Instant now = clock.instant();
        String stamp = current.millis() ? Long.toString(now.toEpochMilli()) : now.toString();
        byte[] prefix = (stamp + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] payload = message.payload();
        byte[] stamped = new byte[prefix.length + payload.length];
        System.arraycopy(prefix, 0, stamped, 0, prefix.length);
        System.arraycopy(payload, 0, stamped, prefix.length, payload.length);
        message.setPayload(stamped);
        return Verdict.CONTINUE;
    }
}
