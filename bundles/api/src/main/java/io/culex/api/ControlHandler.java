package io.culex.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Owns one {@code $CONTROL/<name>/v1} topic: Mosquitto's {@code MOSQ_EVT_CONTROL}. Messages published there are
 * handed to the owner and never routed to subscribers; the owner's answer is published by the broker on
 * {@code $CONTROL/<name>/v1/response}, where clients allowed to receive it get it. As in Mosquitto, what clients
 * publish to any {@code $CONTROL} topic is never routed (so no client can forge a response), while the broker's own
 * messages there are.
 *
 * <p>The service must carry the property {@value #CONTROL_NAME} with the {@code <name>} part (for example
 * {@code dynamic-security}). A topic has one owner: if several services claim the same name, the one first in
 * ranking order gets the messages. Runs on the publisher's network thread; answer asynchronously for slow work.
 * The publish still passes the broker's PUBLISH access check first.
 */
@ConsumerType
public interface ControlHandler {

    /** The service property naming the {@code <name>} in {@code $CONTROL/<name>/v1}. */
    String CONTROL_NAME = "culex.control.name";

    /**
     * Handle one request.
     *
     * @param client the client that published the request, or {@code null} for a message published through
     *     {@link Broker}
     * @param payload the request payload
     * @return the response payload, possibly completed later; a stage completing with {@code null} sends no
     *     response
     */
    CompletionStage<byte[]> handle(@Nullable ClientInfo client, byte[] payload);
}
