package io.culex.acl.file.internal;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

import io.culex.api.Authorizer;

/**
 * Mosquitto's {@code per_listener_settings true}: a listener configuration ({@code io.culex.core.listener}) that names
 * an {@code acl_file} gets its own {@link AclFileAuthorizer}, registered with the service property
 * {@code culex.listener} (the listener configuration's PID) so that the core asks it only about clients of that
 * listener, Unix-socket listeners and listeners sharing a port included (a listener without an ACL file is then
 * unrestricted, as in Mosquitto).
 */
@Component(service = {}, configurationPid = "io.culex.core.listener",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class ListenerAclFiles {

    private AclFileAuthorizer authorizer;
    private ServiceRegistration<Authorizer> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> listener) {
        Object file = listener.get(AclFileAuthorizer.FILE_PROPERTY);
        if (file == null) {
            return; // this listener uses the broker-wide settings
        }
        authorizer = new AclFileAuthorizer();
        authorizer.start(context, AclFileAuthorizer.resolve(file.toString()));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(AclFileAuthorizer.PROVIDER_PROPERTY, AclFileAuthorizer.PROVIDER);
        // the listener's identity, the PID of its configuration, as the core gives it to its clients
        properties.put(io.culex.api.ServiceProperties.LISTENER, String.valueOf(listener.get("service.pid")));
        registration = context.registerService(Authorizer.class, authorizer, properties);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            authorizer.stop();
        }
    }
}
