package io.culex.webconsole.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the console's security provider, with the id the launcher makes the Web Console wait for
 * ({@code felix.webconsole.security.providers=culex}); until it is registered the Web Console serves nothing. It is
 * not registered when {@link ConsoleAccess} refuses (a non-loopback address without {@code admin_user}), so the
 * console stays off and the log says why. A configuration change re-decides (no {@code @Modified}).
 */
@Component(configurationPid = ConsoleAccessComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = ConsoleConfiguration.class)
public final class ConsoleAccessComponent {

    static final String PID = "io.culex.webconsole";
    /** The value of {@code felix.webconsole.security.providers} that the launcher sets. */
    static final String PROVIDER_ID = "culex";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAccessComponent.class);

    private final ServiceRegistration<SecurityProvider> registration;

    @Activate
    public ConsoleAccessComponent(BundleContext context, ConsoleConfiguration configuration) {
        ConsoleAccess access;
        try {
            access = ConsoleAccess.decide(configuration.bind__address(), configuration.admin__user(),
                    configuration.admin__password__hash());
        } catch (ConsoleAccess.Refused e) {
            LOG.error(e.getMessage());
            registration = null;
            return;
        }
        if (access.isDefaultCredential()) {
            LOG.warn("Warning: the web console on {} accepts the default user admin with the password admin; "
                    + "set admin_user to choose the credential.", configuration.bind__address());
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(SecurityProvider.PROPERTY_ID, PROVIDER_ID);
        registration = context.registerService(SecurityProvider.class, new BasicAuthentication(access), properties);
        LOG.info("Web console available on {} for user {}", configuration.bind__address(), access.username());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
