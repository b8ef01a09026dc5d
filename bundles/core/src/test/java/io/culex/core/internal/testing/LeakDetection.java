package io.culex.core.internal.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/**
 * Fails a test class if Netty's leak detector (at PARANOID level) reports a buffer that was garbage collected without
 * being released. Install with {@code @ExtendWith(LeakDetection.class)}.
 * <p>
 * A leak is only found when the garbage collector has enqueued the buffer and a later allocation polls for it, which
 * may be during a later class or after the last one. So reports are kept for the whole test JVM: each class fails
 * with those not yet reported by an earlier class (they may stem from one before it, which the report says), and
 * at the end of the run the remaining ones fail the run.
 */
public final class LeakDetection implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();
    /** How many of {@link #LEAKS} have failed a class already. */
    private static int reported;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                       long maxActive) {
                return new RecordingDetector<>(resource, samplingInterval);
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // registered once per JVM: the root context closes it after the last class
        context.getRoot().getStore(ExtensionContext.Namespace.create(LeakDetection.class))
                .getOrComputeIfAbsent(EndOfRun.class, key -> new EndOfRun(), EndOfRun.class);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        failOnNewLeaks("during or before " + context.getDisplayName()
                + " (a leak is found only after a garbage collection; it may come from a class run before)");
    }

    private static void failOnNewLeaks(String when) throws InterruptedException {
        collectGarbageAndPoll();
        synchronized (LEAKS) {
            if (LEAKS.size() > reported) {
                List<String> fresh = new ArrayList<>(LEAKS.subList(reported, LEAKS.size()));
                reported = LEAKS.size();
                throw new AssertionError(fresh.size() + " ByteBuf leak(s) reported " + when + ":\n"
                        + String.join("\n", fresh));
            }
        }
    }

    /** Leaks are found when a leaked buffer's phantom reference is enqueued and a later allocation polls it. */
    private static void collectGarbageAndPoll() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 100; i++) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                buf.release();
            }
        }
    }

    /** Closed by JUnit after the last test class of the JVM: what was found since then fails the run. */
    private static final class EndOfRun implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            failOnNewLeaks("after the last test class");
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + " leaked:" + records);
            }
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            synchronized (LEAKS) {
                LEAKS.add(resourceType + " leaked (untraced)");
            }
            super.reportUntracedLeak(resourceType);
        }
    }
}
