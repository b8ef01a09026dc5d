package io.culex.dynsec.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Authenticator;
import io.culex.api.Authorizer;
import io.culex.api.Broker;
import io.culex.api.ControlHandler;
import io.culex.dynsec.internal.json.ModelFile;

/**
 * The bundle's life cycle. With a {@code config_file} it loads the file and registers the three services of
 * Mosquitto's plugin, each with {@code culex.provider=dynamic-security} (so that a configuration requiring the
 * plugin fails closed while they are missing): an {@link Authenticator}, an {@link Authorizer} and the
 * {@link ControlHandler} of {@code $CONTROL/dynamic-security/v1}. Without one it logs Mosquitto's warning and
 * registers nothing. A file it cannot use also registers nothing (the broker then refuses everyone, as the
 * configuration requires the plugin), instead of running on part of it and overwriting the rest at the next change.
 *
 * <p>A changed configuration restarts the component: the file is read again.
 */
@Component(configurationPid = DynsecComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = DynsecConfiguration.class)
public final class DynsecComponent {

    /** The configuration PID (also the bundle symbolic name). */
    public static final String PID = "io.culex.dynsec";
    /** This provider's {@code culex.provider} value, the name under which the configuration requires it. */
    public static final String PROVIDER = "dynamic-security";

    private static final Logger LOG = LoggerFactory.getLogger(DynsecComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Broker broker;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private DynamicSecurity security;

    @Activate
    void activate(BundleContext context, DynsecConfiguration config) {
        String configured = config.config__file();
        if (configured == null || configured.isBlank()) {
            LOG.warn("Warning: Dynamic security plugin has no plugin_opt_config_file defined. "
                    + "The plugin will not be activated.");
            return;
        }
        ModelFile file = new ModelFile(Path.of(configured).toAbsolutePath().normalize());
        try {
            security = DynamicSecurity.open(file, () -> broker);
        } catch (IOException e) {
            LOG.error("Error loading Dynamic security plugin config {}: {}. Clients are refused until it can be read.",
                    file.path(), e.toString());
            return;
        } catch (ModelFile.InvalidFileException e) {
            LOG.error("Error loading Dynamic security plugin config {}: {} Clients are refused until it is "
                    + "repaired; the file is left as it is.", file.path(), e.getMessage());
            return;
        }
        DynamicSecurity active = security;
        Dictionary<String, Object> control = providerProperties();
        control.put(ControlHandler.CONTROL_NAME, PROVIDER);
        registrations.add(context.registerService(ControlHandler.class, active::handle, control));
        registrations.add(context.registerService(Authenticator.class, active::authenticate, providerProperties()));
        registrations.add(context.registerService(Authorizer.class,
                (client, access, topic, qos, retain) -> active.authorize(client, access, topic),
                providerProperties()));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> registration : registrations) {
            registration.unregister();
        }
        registrations.clear();
        if (security != null) {
            security.close();
            security = null;
        }
    }

    private static Dictionary<String, Object> providerProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(io.culex.api.ServiceProperties.PROVIDER, PROVIDER);
        return properties;
    }
}
