package io.culex.sys.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.culex.api.Broker;
import io.culex.api.PublishBuilder;

/**
 * Publishes the {@code $SYS/broker/...} tree every {@code sys_interval} seconds through the {@link Broker} service,
 * on a broker thread ({@link Broker#scheduleAtFixedRate}): retained, QoS 2, as Mosquitto does. The configuration is
 * optional: without one the tree is published every 10 seconds, Mosquitto's default; {@code sys_interval 0} turns it
 * off. A changed interval applies at once, without starting the tree over (no second version message, the load
 * averages go on).
 */
@Component(configurationPid = SysTreeComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
@Designate(ocd = SysConfiguration.class)
public final class SysTreeComponent {

    /** The configuration PID (also the bundle symbolic name). */
    static final String PID = "io.culex.sys";
    /** Framework property the launcher sets to the distribution's version. */
    static final String VERSION_PROPERTY = "culex.version";
    static final int DEFAULT_INTERVAL = 10;
    private static final int MAX_INTERVAL = 65535;
    /** Mosquitto's SYS_TREE_QOS. */
    private static final int SYS_QOS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(SysTreeComponent.class);

    private final Broker broker;
    private final BundleContext context;
    private final SysTree tree;
    private final HeapUsage heap = new HeapUsage();
    /** What this component published, to clear when it goes (else {@code $SYS/broker/version} stays forever). */
    private final Set<String> publishedTopics = ConcurrentHashMap.newKeySet();
    /** Set when deactivated; guarded by {@code tree}. */
    private boolean closed;
    private volatile long expirySeconds;
    // guarded by this
    private int interval;
    private ScheduledFuture<?> task;
    private boolean everScheduled;

    @Activate
    public SysTreeComponent(@Reference(name = "broker") Broker broker, BundleContext context, SysConfiguration config) {
        this.broker = broker;
        this.context = context;
        this.tree = new SysTree(version(context));
        apply(config);
    }

    @Modified
    void modified(SysConfiguration config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            cancel();
        }
        synchronized (tree) { // a run already under way publishes before the clearing, or not at all
            closed = true;
            // At shutdown the retained store goes with the broker; clearing would only send clients empty messages.
            if (!frameworkStopping()) {
                clearPublishedTopics();
            }
        }
    }

    private synchronized void apply(SysConfiguration config) {
        expirySeconds = Math.max(0, config.culex_message__expiry__interval());
        int requested = config.sys__interval();
        if (requested < 0 || requested > MAX_INTERVAL) {
            // culex.conf is checked by the config bundle; this is another configuration source (a .cfg file)
            LOG.warn("Invalid sys_interval value ({}) in configuration {}; using {}.", requested, PID,
                    DEFAULT_INTERVAL);
            requested = DEFAULT_INTERVAL;
        }
        if (requested == interval && (task != null || requested == 0)) {
            return;
        }
        cancel();
        interval = requested;
        if (requested > 0) {
            // the first update at once, as Mosquitto publishes at start; after a change of interval, a period later
            long firstDelay = everScheduled ? requested : 0;
            task = broker.scheduleAtFixedRate(this::update, firstDelay, requested, TimeUnit.SECONDS);
            everScheduled = true;
        }
    }

    private void cancel() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void update() {
        try {
            synchronized (tree) { // a cancelled run may overlap the first run of its replacement, or deactivation
                if (closed) {
                    return;
                }
                long heapUsed = heap.used();
                tree.update(new Sample(broker.statistics(), heapUsed, heap.maximum(), System.nanoTime()))
                        .forEach(this::publish); // publishing only hands the messages to the broker's loops
            }
        } catch (RuntimeException e) {
            // a periodic task that throws is not run again: report it and keep the tree alive
            LOG.warn("$SYS update failed: {}", e.toString(), e);
        }
    }

    private void publish(SysMessage message) {
        PublishBuilder builder = broker.newMessage(message.topic())
                .payload(message.payload().getBytes(StandardCharsets.UTF_8))
                .qos(SYS_QOS)
                .retain(true);
        long expiry = expirySeconds;
        if (message.expires() && expiry > 0) {
            builder.messageExpiryInterval(expiry);
        }
        publishedTopics.add(message.topic());
        builder.publish().whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.debug("$SYS message {} not published: {}", message.topic(), failure.toString());
            }
        });
    }

    /** An empty retained message removes the topic's retained message. */
    private void clearPublishedTopics() {
        try {
            for (String topic : publishedTopics) {
                broker.newMessage(topic).qos(SYS_QOS).retain(true).publish();
            }
        } catch (RuntimeException e) {
            LOG.debug("$SYS topics not cleared (the broker is stopping): {}", e.toString());
        }
        publishedTopics.clear();
    }

    private boolean frameworkStopping() {
        try {
            return context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // our context is no longer valid: the framework took us down
        }
    }

    private static String version(BundleContext context) {
        String version = context.getProperty(VERSION_PROPERTY);
        return version != null ? version : context.getBundle().getVersion().toString();
    }
}
