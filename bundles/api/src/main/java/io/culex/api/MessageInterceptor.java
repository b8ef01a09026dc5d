package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Sees, and may change or stop, every message published to the broker before it is routed and retained:
 * Mosquitto's {@code MOSQ_EVT_MESSAGE}.
 *
 * <p>Interceptors run in {@code service.ranking} order, each seeing the changes of the ones before; the message is
 * routed after the last one. The first that answers {@link Verdict#DROP} or {@link Verdict#DENY} stops the chain.
 * Runs on the publisher's network thread, after the PUBLISH access check, and must not block. A method that throws
 * counts as {@link Verdict#DENY}.
 */
@ConsumerType
public interface MessageInterceptor {

    /** What happens to the message after an interceptor. */
    enum Verdict {
        /** Go on to the next interceptor, then route the (possibly changed) message. */
        CONTINUE,
        /** Discard the message silently; the publisher's QoS handshake completes as if it had been routed. */
        DROP,
        /** Refuse the message as if the access check had denied it. */
        DENY
    }

    /**
     * Inspect or change a message.
     *
     * @param publisher the publishing client, or {@code null} for a message published through {@link Broker}
     * @param message the message, changeable during this call
     * @return the verdict; never {@code null}
     */
    Verdict intercept(@Nullable ClientInfo publisher, InterceptedMessage message);
}
