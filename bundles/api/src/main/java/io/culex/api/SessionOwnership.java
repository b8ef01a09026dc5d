package io.culex.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides where a client's session lives when several brokers serve the same clients (the nodes of a cluster): a
 * client id has one owner at a time, and a client that connects to another broker takes its session along. Register
 * at most one as an OSGi service (whiteboard); with several, the highest ranked is asked. Without one, every session
 * lives here, as in a single broker.
 *
 * <p>The broker asks before it opens the session of an authenticated CONNECT: the client gets its CONNACK only once
 * the stage completes. To take a session over, the implementation makes this broker the owner, has the previous
 * owner {@linkplain Broker#releaseSession release} it (its connection there is closed as a session takeover), and
 * brings its state here with {@link Broker#importSessions} before completing; the CONNECT then resumes the imported
 * session as if it had always been here. A clean start needs only the first two steps.
 *
 * <p>Threading: called on the client's network thread, which must not block; answer asynchronously. A stage that
 * completes exceptionally, or not within 10 seconds, refuses the client with "server unavailable" (MQTT 5 0x88, MQTT
 * 3 return code 3) and the connection is closed; a client connecting again tries anew.
 *
 * @since 1.7
 */
@ConsumerType
public interface SessionOwnership {

    /**
     * A client is connecting here with this id.
     *
     * @param clientId the client identifier (after {@code use_username_as_clientid} and assignment)
     * @param cleanStart whether the client asked for a new session (MQTT 5 Clean Start, MQTT 3 Clean Session)
     * @return completes when this broker owns the session and holds whatever state it takes over
     */
    CompletionStage<Void> claim(String clientId, boolean cleanStart);
}
