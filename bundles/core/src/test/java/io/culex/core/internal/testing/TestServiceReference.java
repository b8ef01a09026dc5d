package io.culex.core.internal.testing;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * A service reference without a framework, for putting test services into the {@link
 * io.culex.core.internal.extension.Extensions} chains of an {@link EmbeddedBroker}: ids in creation order, ranking 0
 * unless {@code service.ranking} is among the properties, ordered as the OSGi specification says.
 */
public final class TestServiceReference<S> implements ServiceReference<S> {

    private static final AtomicLong IDS = new AtomicLong(1000);

    private final long id = IDS.incrementAndGet();
    private final java.util.Map<String, Object> extraProperties;

    public TestServiceReference() {
        this(java.util.Map.of());
    }

    /**
     * @param extraProperties service properties besides id and ranking (e.g. {@code culex.auth.method},
     *     {@code culex.listener.port})
     */
    public TestServiceReference(java.util.Map<String, Object> extraProperties) {
        this.extraProperties = extraProperties;
    }

    @Override
    public Object getProperty(String key) {
        if (Constants.SERVICE_ID.equals(key)) {
            return id;
        }
        if (Constants.SERVICE_RANKING.equals(key)) {
            return ranking();
        }
        return extraProperties.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return java.util.Collections.list(getProperties().keys()).toArray(new String[0]);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    /** As the framework orders references: higher ranking, then lower id (older), is "greater". */
    @Override
    public int compareTo(Object other) {
        TestServiceReference<?> that = (TestServiceReference<?>) other;
        if (ranking() != that.ranking()) {
            return Integer.compare(ranking(), that.ranking());
        }
        return Long.compare(that.id, id);
    }

    private int ranking() {
        Object ranking = extraProperties.get(Constants.SERVICE_RANKING);
        return ranking instanceof Integer ? (Integer) ranking : 0;
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_ID, id);
        properties.putAll(extraProperties);
        properties.put(Constants.SERVICE_RANKING, ranking());
        return properties;
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }
}
