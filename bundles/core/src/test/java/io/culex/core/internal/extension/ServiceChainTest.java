package io.culex.core.internal.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import io.culex.core.internal.testing.TestServiceReference;

/** The unregistration rule: calls in flight finish before unbind returns, and no call starts afterwards. */
class ServiceChainTest {

    @Test
    void removeWaitsForTheCallInFlightAndRefusesNewOnes() throws Exception {
        ServiceChain<String> chain = new ServiceChain<>("test service");
        TestServiceReference<String> reference = new TestServiceReference<>();
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
        TestServiceReference<String> reference = new TestServiceReference<>();
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
        chain.add(new TestServiceReference<>(), "old");
        chain.add(new TestServiceReference<>(Map.of(Constants.SERVICE_RANKING, 10)), "ranked");
        chain.add(new TestServiceReference<>(), "young");
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
}
