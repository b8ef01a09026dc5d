package io.culex.itest.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.culex.api.Broker;
import io.culex.api.DeliveredMessage;
import io.culex.api.InternalSubscription;
import io.culex.api.PublishResult;

/**
 * The {@code Broker} service is bundle-scoped: a bundle's internal subscriptions end when it releases the service
 * (as when it stops), so no message reaches the consumer of a bundle that is gone.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BrokerServiceIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        return options(composite(CulexContainer.coreBundles()));
    }

    @Test
    public void releasingTheBrokerServiceClosesTheBundlesSubscriptions() throws Exception {
        ServiceTracker<Broker, Broker> tracker = new ServiceTracker<>(context, Broker.class, null);
        tracker.open();
        assertNotNull("the Broker service", tracker.waitForService(10_000));
        tracker.close();
        ServiceReference<Broker> reference = context.getServiceReference(Broker.class);

        Broker first = context.getService(reference);
        BlockingQueue<DeliveredMessage> received = new LinkedBlockingQueue<>();
        InternalSubscription subscription = first.newSubscription("it/#").subscribe(received::add);
        PublishResult routed = publish(first, "it/one");
        assertEquals(1, routed.subscribers());
        DeliveredMessage m = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals("one", new String(m.payload(), StandardCharsets.UTF_8));
        m.complete();

        // the bundle lets go of the service (as a stopping bundle's components do): its subscription ends with it
        assertTrue(context.ungetService(reference));
        Broker second = context.getService(reference);
        assertNotSame("a new instance after the release", first, second);
        assertEquals(0, publish(second, "it/two").subscribers());
        assertTrue("nothing after the release", received.isEmpty());
        assertEquals(0, subscription.pending());
        context.ungetService(reference);
    }

    private static PublishResult publish(Broker broker, String topic) throws Exception {
        return broker.newMessage(topic).payload(topic.substring(3).getBytes(StandardCharsets.UTF_8)).publish()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
