package io.culex.core.internal.extension;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.ClientEventListener;
import io.culex.api.ControlHandler;
import io.culex.api.EnhancedAuthenticator;
import io.culex.api.MessageInterceptor;

/**
 * The whiteboard: every SPI service registered now, one chain per interface. Filled by the broker component's
 * dynamic references, read on every event.
 */
public final class Extensions {

    public final ServiceChain<Authenticator> authenticators = new ServiceChain<>("authenticator");
    public final ServiceChain<EnhancedAuthenticator> enhancedAuthenticators =
            new ServiceChain<>("enhanced authenticator");
    public final ServiceChain<Authorizer> authorizers = new ServiceChain<>("authorizer");
    public final ServiceChain<MessageInterceptor> interceptors = new ServiceChain<>("message interceptor");
    public final ServiceChain<ControlHandler> controlHandlers = new ServiceChain<>("control handler");
    public final ServiceChain<ClientEventListener> eventListeners = new ServiceChain<>("client event listener");
    public final SubscriptionTableEvents subscriptionTables = new SubscriptionTableEvents();
    public final ServiceChain<io.culex.api.SessionOwnership> ownership = new ServiceChain<>("session ownership");
    public final ServiceChain<io.culex.api.persistence.PersistenceListener> stores =
            new ServiceChain<>("persistence store");
}
