package io.culex.core.internal.session;

import io.culex.api.ClientInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The network connection a session is attached to, as the session sees it. All methods are called on the
 * connection's event loop, which is the session's while attached.
 */
public interface SessionConnection {

    ClientInfo client();

    ByteBufAllocator alloc();

    /** @return whether the client speaks MQTT 5 (packets carry properties and reason codes) */
    boolean isMqtt5();

    /** @return the client's Receive Maximum: at most this many QoS 1/2 messages unacknowledged (65535 for 3.x) */
    int receiveMaximum();

    /** @return the client's Maximum Packet Size; 0 for no limit (always 0 for 3.x) */
    long maximumPacketSize();

    /**
     * @return the listener's {@code mount_point} (topics of this client live under it, and it sees them without
     *     it), or {@code null}
     */
    String mountPoint();

    /** @return whether the socket can take more without growing Netty's outbound buffer past its high mark */
    boolean isWritable();

    /** Write a packet (ownership passes); it is flushed once at the end of the current burst of work. */
    void write(ByteBuf packet);

    /** Write a PUBLISH as its header and its (shared) payload, one packet (ownership of both passes). */
    void write(ByteBuf publishHeader, ByteBuf payload);

    /**
     * @return the will the connection publishes if it ends without a normal DISCONNECT, or {@code null} (not
     *     retained for the caller)
     */
    io.culex.core.internal.routing.Message will();

    /** @return the MQTT 5 will delay interval of {@link #will()} */
    long willDelaySeconds();

    /** The session is taken over by a new connection with the same client id: close this one, will included. */
    void takenOver();

    /** Disconnect at the broker's request (admin kick, session expiry), will included. */
    void kick(String reason);
}
