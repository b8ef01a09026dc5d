package io.culex.bridge.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Broker;
import io.culex.bridge.BridgeState;
import io.culex.bridge.BridgeStatus;
import io.netty.handler.ssl.SslContext;

/**
 * One bridge per {@code io.culex.bridge} factory configuration. A new configuration starts a bridge, a deleted one
 * stops it, and a changed one restarts it (there is no {@code @Modified}: any change may touch the connection), so
 * adding, changing or removing a {@code connection} block in culex.conf touches only that bridge.
 *
 * <p>Its state is registered as a {@link BridgeStatus} service, by hand rather than as the component's service, so
 * that the configuration's properties (the remote password among them) do not become service properties.
 */
@Component(configurationPid = BridgeComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = BridgeConfiguration.class, factory = true)
public final class BridgeComponent implements BridgeStatus {

    /** The factory PID the config bundle writes bridges to. */
    public static final String FACTORY_PID = "io.culex.bridge";

    private static final Logger LOG = LoggerFactory.getLogger(BridgeComponent.class);

    private final Broker broker;
    private final BridgeThreads threads;
    private Bridge bridge;
    private ServiceRegistration<BridgeStatus> registration;

    @Activate
    public BridgeComponent(@Reference Broker broker, @Reference BridgeThreads threads) {
        this.broker = broker;
        this.threads = threads;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        BridgeSettings settings;
        SslContext tls;
        try {
            settings = BridgeSettings.from(properties, hostName());
            tls = settings.tls() == null ? null : TlsContexts.create(settings.tls());
        } catch (IllegalArgumentException e) {
            String where = String.valueOf(properties.getOrDefault("culex.source", properties.get("service.pid")));
            LOG.error("Bridge {} ({}) not started: {}", properties.get("connection"), where, e.getMessage());
            throw e;
        }
        bridge = new Bridge(settings, broker, threads.nextLoop(), threads.resolver(), tls);
        bridge.start();
        LOG.info("Bridge {} started ({} topic(s), remote {})", settings.name(), settings.topics().size(),
                settings.addresses());
        Dictionary<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(NAME_PROPERTY, settings.name());
        serviceProperties.put("culex.source", settings.source());
        registration = context.registerService(BridgeStatus.class, this, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        try {
            bridge.stop().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Bridge {} did not stop cleanly: {}", bridge.name(), e.toString());
        }
        LOG.info("Bridge {} stopped", bridge.name());
    }

    @Override
    public String name() {
        return bridge.name();
    }

    @Override
    public BridgeState state() {
        return bridge.state();
    }

    /** Mosquitto's default remote client id starts with the host name. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "culex";
        }
    }
}
