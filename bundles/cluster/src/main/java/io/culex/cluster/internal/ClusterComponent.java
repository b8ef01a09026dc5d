package io.culex.cluster.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Broker;
import io.culex.api.SubscriptionTableListener;

/**
 * The cluster bundle's component: active while the {@code io.culex.cluster} configuration exists (the config bundle
 * writes it from {@code cluster_*} options), it runs this node's {@link ClusterNode} and feeds it the core's
 * subscription table. A configuration change restarts it (leave, then join with the new settings); uninstalling the
 * bundle leaves the cluster, and the clients connected here stay connected.
 */
@Component(configurationPid = ClusterComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = SubscriptionTableListener.class)
@Designate(ocd = ClusterConfiguration.class)
public final class ClusterComponent implements SubscriptionTableListener {

    public static final String PID = "io.culex.cluster";

    private static final Logger LOG = LoggerFactory.getLogger(ClusterComponent.class);

    private final BundleContext context;
    private final ClusterNode node;
    private final ClusterSysTopics sys;
    private final ScheduledFuture<?> sysUpdates;

    @Activate
    public ClusterComponent(@Reference(name = "broker") Broker broker, BundleContext context,
            ClusterConfiguration config) {
        this.context = context;
        this.sys = new ClusterSysTopics(broker);
        this.node = new ClusterNode(ClusterSettings.from(config), broker, context, this::updateSys);
        node.start();
        sysUpdates = broker.scheduleAtFixedRate(this::updateSys, 0, ClusterSysTopics.INTERVAL_SECONDS,
                TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        sysUpdates.cancel(false);
        node.close();
        if (context.getBundle(0).getState() != org.osgi.framework.Bundle.STOPPING) {
            sys.clear(); // at shutdown the retained store goes with the broker
        }
    }

    @Override
    public void filterAdded(String filter) {
        node.localFilterAdded(filter);
    }

    @Override
    public void filterRemoved(String filter) {
        node.localFilterRemoved(filter);
    }

    private void updateSys() {
        try {
            node.publishStats();
            sys.update(node.view());
        } catch (RuntimeException e) {
            LOG.warn("$SYS/broker/cluster update failed: {}", e.toString(), e); // keep the periodic task alive
        }
    }
}
