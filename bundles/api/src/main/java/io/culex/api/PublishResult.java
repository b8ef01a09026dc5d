package io.culex.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of a message published with {@link PublishBuilder#publish()}. Implemented by the broker.
 *
 * @since 1.4
 */
@ProviderType
public interface PublishResult {

    /** @return whether a {@link MessageInterceptor} denied the message: it was neither retained nor routed */
    boolean denied();

    /**
     * @return how many subscribers the message was handed to (sessions and internal subscriptions; a client with
     *     several matching subscriptions counts once; an internal subscription whose {@link MessageSelector} only
     *     observed the message does not count); 0 when denied, dropped by an interceptor, or unmatched
     */
    int subscribers();
}
