package io.culex.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.transport.MqttListener;

/**
 * One listener per {@code io.culex.core.listener} factory configuration. Changing the configuration rebinds the
 * listener; clients already connected through it stay connected.
 */
@Component(service = ListenerComponent.class, configurationPid = ListenerComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ListenerConfiguration.class, factory = true)
public final class ListenerComponent {

    public static final String FACTORY_PID = "io.culex.core.listener";

    private static final Logger LOG = LoggerFactory.getLogger(ListenerComponent.class);

    private final MqttListener listener;

    @Activate
    public ListenerComponent(@Reference BrokerComponent broker, Map<String, Object> properties) {
        try {
            this.listener = new MqttListener(ListenerSettings.from(properties), broker.engine());
            listener.start();
        } catch (RuntimeException e) {
            // the listener does not start; the others do
            String message = String.valueOf(e.getMessage());
            LOG.error(message.startsWith("Error:") ? message : "Error: " + message);
            throw e;
        }
    }

    /** @return the port actually bound */
    public int boundPort() {
        return listener.boundPort();
    }

    @Deactivate
    void deactivate() {
        listener.stop();
    }
}
