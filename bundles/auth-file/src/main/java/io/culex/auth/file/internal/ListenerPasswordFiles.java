package io.culex.auth.file.internal;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

import io.culex.api.Authenticator;

/**
 * Mosquitto's {@code per_listener_settings true}: a listener configuration ({@code io.culex.core.listener}) that names
 * a {@code password_file} gets its own {@link PasswordFileAuthenticator}, registered with the service property
 * {@code culex.listener} (the listener configuration's PID) so that the core asks it only about clients of that
 * listener, Unix-socket listeners and listeners sharing a port included.
 */
@Component(service = {}, configurationPid = "io.culex.core.listener",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class ListenerPasswordFiles {

    private PasswordFileAuthenticator authenticator;
    private ServiceRegistration<Authenticator> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> listener) {
        Object file = listener.get(PasswordFileAuthenticator.FILE_PROPERTY);
        if (file == null) {
            return; // this listener uses the broker-wide settings
        }
        authenticator = new PasswordFileAuthenticator();
        authenticator.start(context, PasswordFileAuthenticator.resolve(file.toString()));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PasswordFileAuthenticator.PROVIDER_PROPERTY, PasswordFileAuthenticator.PROVIDER);
        // the listener's identity, the PID of its configuration, as the core gives it to its clients
        properties.put(io.culex.api.ServiceProperties.LISTENER, String.valueOf(listener.get("service.pid")));
        registration = context.registerService(Authenticator.class, authenticator, properties);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            authenticator.stop();
        }
    }
}
