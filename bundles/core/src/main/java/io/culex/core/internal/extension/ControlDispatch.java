package io.culex.core.internal.extension;

import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.ClientInfo;
import io.culex.api.ControlHandler;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Topics;
import io.netty.buffer.ByteBufUtil;

/**
 * Mosquitto's {@code $CONTROL/<name>/v1} topics: a request goes to the one {@link ControlHandler} registered with
 * that name, and its answer is published by the broker on {@code <topic>/response} (QoS 1). Requests are never
 * routed to subscribers.
 */
public final class ControlDispatch {

    /** How the broker publishes a response: topic, payload, QoS, retain. */
    @FunctionalInterface
    public interface ResponsePublisher {
        void publish(String topic, byte[] payload, int qos, boolean retain);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ControlDispatch.class);

    private final ServiceChain<ControlHandler> handlers;
    private final ResponsePublisher responses;

    public ControlDispatch(Extensions extensions, ResponsePublisher responses) {
        this.handlers = extensions.controlHandlers;
        this.responses = responses;
    }

    /**
     * Hand a request to its handler. Runs on an event loop; the caller keeps its reference to the message.
     *
     * @param publisher the requesting client, or {@code null} for the broker
     * @param message the request
     */
    public void dispatch(ClientInfo publisher, Message message) {
        String topic = message.topic();
        if (!topic.endsWith("/v1") || topic.length() <= Topics.CONTROL_PREFIX.length() + 3) {
            LOG.debug("Ignoring message to unknown control topic {}", topic);
            return;
        }
        String name = topic.substring(Topics.CONTROL_PREFIX.length(), topic.length() - 3);
        for (ServiceChain.Entry<ControlHandler> entry : handlers.snapshot()) {
            if (name.equals(entry.reference().getProperty(ControlHandler.CONTROL_NAME))) {
                if (!entry.enter()) {
                    continue; // being unregistered (see ServiceChain): no call reaches a stopping plugin
                }
                byte[] request = ByteBufUtil.getBytes(message.payload());
                CompletionStage<byte[]> response;
                try {
                    response = entry.service().handle(publisher, request);
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("Control handler from {} failed on {}: {}", entry.origin(), topic, e.toString(), e);
                    return;
                } finally {
                    entry.exit();
                }
                if (response != null) {
                    response.whenComplete((bytes, failure) -> {
                        if (failure != null) {
                            LOG.error("Control handler from {} failed on {}: {}", entry.origin(), topic,
                                    failure.toString());
                        } else if (bytes != null) {
                            responses.publish(topic + "/response", bytes, 1, false);
                        }
                    });
                }
                return;
            }
        }
        LOG.debug("No control handler for {}", topic);
    }
}
