package io.culex.core.internal.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** The unregistration rule: calls in flight finish before unbind returns, and no call starts afterwards. */
class ServiceChainTest {

    @Test
    void removeWaitsForTheCallInFlightAndRefusesNewOnes() throws Exception {
        ServiceChain<String> chain = new ServiceChain<>("test service");
        FakeReference reference = new FakeReference(1);
        chain.add(reference, "plugin");
        ServiceChain.Entry<String> entry = chain.snapshot()[0];

        assertTrue(entry.enter(), "a registered service admits calls");
        CompletableFuture<Void> unbind = CompletableFuture.runAsync(() -> chain.remove(reference));
        // the unbinding thread must be held until the call returns
        assertThrowsTimeout(unbind);
        assertTrue(chain.isEmpty(), "the service is out of the chain for the next event at once");
        assertFalse(entry.enter(), "an event holding an old snapshot must not start a call");
        entry.exit();
        unbind.get(5, TimeUnit.SECONDS);
        assertFalse(entry.enter());
    }

    @Test
    void removeWithoutCallsInFlightReturnsAtOnce() throws Exception {
        ServiceChain<String> chain = new ServiceChain<>("test service");
        FakeReference reference = new FakeReference(1);
        chain.add(reference, "plugin");
        CountDownLatch done = new CountDownLatch(1);
        new Thread(() -> {
            chain.remove(reference);
            done.countDown();
        }).start();
        assertTrue(done.await(5, TimeUnit.SECONDS));
    }

    @Test
    void chainOrderIsRankingThenAge() {
        ServiceChain<String> chain = new ServiceChain<>("test service");
        chain.add(new FakeReference(1), "old");
        chain.add(new FakeReference(2, 10), "ranked");
        chain.add(new FakeReference(3), "young");
        assertEquals("ranked", chain.snapshot()[0].service());
        assertEquals("old", chain.snapshot()[1].service());
        assertEquals("young", chain.snapshot()[2].service());
    }

    private static void assertThrowsTimeout(CompletableFuture<Void> future) throws Exception {
        try {
            future.get(300, TimeUnit.MILLISECONDS);
            throw new AssertionError("remove returned while a call was in flight");
        } catch (java.util.concurrent.TimeoutException expected) {
            // still draining, as it must
        }
    }

    /** Just enough of a ServiceReference for the chain: id, ranking, and the framework's ordering rule. */
    private static final class FakeReference implements ServiceReference<Object> {
        private final long id;
        private final int ranking;

        FakeReference(long id) {
            this(id, 0);
        }

        FakeReference(long id, int ranking) {
            this.id = id;
            this.ranking = ranking;
        }

        @Override
        public Object getProperty(String key) {
            if ("service.id".equals(key)) {
                return id;
            }
            return "service.ranking".equals(key) ? (Object) ranking : null;
        }

        @Override
        public String[] getPropertyKeys() {
            return new String[] {"service.id", "service.ranking"};
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

        /** As the framework orders references: higher ranking, then lower id, is "greater". */
        @Override
        public int compareTo(Object other) {
            FakeReference that = (FakeReference) other;
            if (ranking != that.ranking) {
                return Integer.compare(ranking, that.ranking);
            }
            return Long.compare(that.id, id);
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("service.id", id);
            properties.put("service.ranking", ranking);
            return properties;
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }
    }
}
