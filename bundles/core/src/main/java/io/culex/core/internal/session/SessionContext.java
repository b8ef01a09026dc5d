package io.culex.core.internal.session;

import io.culex.api.ClientInfo;
import io.culex.core.internal.extension.AccessControl;
import io.culex.core.internal.metrics.Stats;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.SubscriptionTree;
import io.culex.core.internal.settings.BrokerSettings;
import io.netty.channel.EventLoop;

/**
 * What sessions need of the running broker, and no more: the engine implements it, so sessions sit below the
 * engine instead of leaning on it.
 */
public interface SessionContext {

    /** @return the broker settings now */
    BrokerSettings settings();

    Stats stats();

    /** @return the broker's subscriptions, which a session's own are entered into */
    SubscriptionTree subscriptions();

    /** @return the access checks (DELIVER) */
    AccessControl access();

    /** @return what sessions tell the stores */
    SessionChanges sessionChanges();

    /**
     * Publish a client's will (with the checks a PUBLISH of that client would pass), on an event loop; the caller
     * keeps its reference.
     */
    void publishWill(Message will, ClientInfo client, EventLoop current);
}
