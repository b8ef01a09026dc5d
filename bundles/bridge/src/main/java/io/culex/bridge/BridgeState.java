package io.culex.bridge;

import java.time.Instant;

/**
 * A snapshot of one bridge.
 *
 * @param name the connection name
 * @param remoteClientId the client id the bridge uses on the remote broker
 * @param connected whether the bridge is connected to the remote broker now (CONNACK received)
 * @param since when the bridge last became connected or disconnected
 * @param address the remote address in use ({@code host:port}) while connected or connecting, else {@code null}
 * @param messagesSent messages handed to the remote broker (acknowledged, for QoS 1 and 2)
 * @param messagesReceived messages received from the remote broker and published locally
 * @param messagesDropped local messages the bridge gave up: QoS 0 while disconnected, or refused by the remote
 * @param messagesQueued outgoing messages waiting or in flight to the remote broker
 * @param connectAttempts connection attempts since the bridge started
 * @param lastError the last connection error, or {@code null} if there was none
 */
public record BridgeState(
        String name,
        String remoteClientId,
        boolean connected,
        Instant since,
        String address,
        long messagesSent,
        long messagesReceived,
        long messagesDropped,
        int messagesQueued,
        long connectAttempts,
        String lastError) {
}
