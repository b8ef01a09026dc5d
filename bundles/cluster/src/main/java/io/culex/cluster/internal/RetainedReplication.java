package io.culex.cluster.internal;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;

import io.culex.api.Broker;
import io.culex.api.RetainedMessage;

/**
 * Retained messages cluster-wide. The cluster's retained map (with {@code cluster_backup_count} backups) is the
 * shared copy; every node also keeps all retained messages in its own store, so a subscription gets them without a
 * network hop. {@link MessageForwarding} writes a local change into the map; this class applies the other nodes'
 * changes to the local store, without routing them (their subscribers here got the message when it was forwarded).
 *
 * <p>Joining: the cluster's retained messages replace this node's for the same topics; this node's messages for
 * topics the cluster has none of are added to the map. So a node that restarts with a persistent store brings back
 * what it retained, but never overrides what the cluster retained meanwhile.
 */
final class RetainedReplication implements EntryListener<String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedReplication.class);

    private final Broker broker;
    private volatile String localMember;

    RetainedReplication(Broker broker) {
        this.broker = broker;
    }

    /** On the cluster thread, once joined. */
    void joined(IMap<String, byte[]> map, String member) {
        localMember = member;
        map.addEntryListener(this, true);
        merge(map);
    }

    /** On the cluster thread: exchange retained messages with the map (at join, and after a split healed). */
    void merge(IMap<String, byte[]> map) {
        int fromCluster = 0;
        for (Map.Entry<String, byte[]> entry : map.entrySet()) {
            store(entry.getKey(), entry.getValue());
            fromCluster++;
        }
        int toCluster = 0;
        for (RetainedMessage message : broker.retainedMessages("#", Integer.MAX_VALUE)) {
            if (map.putIfAbsent(message.topic(), ClusterMessage.of(message).encode()) == null) {
                toCluster++;
            }
        }
        LOG.info("Retained messages merged with the cluster: {} from the cluster, {} added to it.", fromCluster,
                toCluster);
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
        if (fromOtherMember(event)) {
            store(event.getKey(), event.getValue());
        }
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
        entryAdded(event);
    }

    @Override
    public void entryRemoved(EntryEvent<String, byte[]> event) {
        if (fromOtherMember(event)) {
            clear(event.getKey());
        }
    }

    @Override
    public void entryEvicted(EntryEvent<String, byte[]> event) {
        entryRemoved(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, byte[]> event) {
        // the local copy carries the same expiry and ends by itself
    }

    @Override
    public void mapCleared(MapEvent event) {
        LOG.warn("The cluster's retained messages were cleared by member {}.", event.getMember());
    }

    @Override
    public void mapEvicted(MapEvent event) {
        mapCleared(event);
    }

    private boolean fromOtherMember(EntryEvent<String, byte[]> event) {
        return event.getMember() == null || !event.getMember().getUuid().toString().equals(localMember);
    }

    private void store(String topic, byte[] bytes) {
        try {
            ClusterMessage message = ClusterMessage.decode(bytes);
            message.into(broker.newMessage(topic)).retain(true).intercept(false).route(false)
                    .origin(MessageForwarding.ORIGIN).publish();
        } catch (IllegalArgumentException e) {
            LOG.error("Retained message of {} from the cluster ignored: {}", topic, e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debug("Retained message of {} from the cluster not stored: the broker is stopping", topic);
        }
    }

    private void clear(String topic) {
        try {
            broker.newMessage(topic).retain(true).intercept(false).route(false).origin(MessageForwarding.ORIGIN)
                    .publish();
        } catch (IllegalStateException e) {
            LOG.debug("Retained message of {} not cleared: the broker is stopping", topic);
        }
    }
}
