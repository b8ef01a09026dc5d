package io.culex.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of an {@link InternalSubscription}. Implemented by the bundle.
 *
 * <p>Threading: calls for one subscription come one at a time, in routing order (per publisher, the order it
 * published in), on one broker thread that must not be blocked: hand slow work to a thread of your own.
 *
 * <p>Flow control: each message counts against the subscription until {@link DeliveredMessage#complete()} is
 * called (from any thread), exactly as queued messages count for a client's session. At half of
 * {@code max_queued_messages} pending, the connections publishing to the subscription are paused until it is down
 * to a quarter; at {@code max_queued_messages} further messages are dropped (counted in
 * {@link InternalSubscription#dropped()}). A consumer that completes nothing for a second stops pacing the
 * publishers (it is "stalled", as a client that stopped reading). So a bridge completes a message when the remote
 * broker has it, and the local publishers go no faster than the remote side takes their messages.
 *
 * @since 1.4
 */
@ConsumerType
@FunctionalInterface
public interface MessageConsumer {

    /**
     * One message. An exception thrown here is logged and the message is completed; the subscription goes on.
     *
     * @param message the message; valid after the call returns, until completed
     */
    void onMessage(DeliveredMessage message);
}
