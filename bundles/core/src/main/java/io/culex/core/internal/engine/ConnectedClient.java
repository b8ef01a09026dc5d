package io.culex.core.internal.engine;

import io.culex.api.ClientInfo;
import io.netty.channel.EventLoop;

/**
 * A connected client as the engine's directory holds it: enough to find, list and disconnect it, without the
 * engine knowing the protocol handler that implements it.
 */
public interface ConnectedClient {

    /** @return the client */
    ClientInfo client();

    /** @return the event loop of its connection: the kick methods run there */
    EventLoop loop();

    /**
     * Disconnect at the broker's request (MQTT 5: "administrative action"), on {@link #loop()}.
     *
     * @param publishWill whether its will is published, as if the connection had been lost
     */
    void kick(String reason, boolean publishWill);

    /** Disconnect because the broker stops (MQTT 5: "server shutting down"), will published; on {@link #loop()}. */
    void kickForShutdown();
}
