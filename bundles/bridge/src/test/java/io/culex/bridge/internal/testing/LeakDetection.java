package io.culex.bridge.internal.testing;

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
 * Fails a test class if (as the core's tests do) Netty's leak detector (at PARANOID level) reports a buffer that was garbage collected without
 * being released. Install with {@code @ExtendWith(LeakDetection.class)}.
 */
public final class LeakDetection implements BeforeAllCallback, AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

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
        synchronized (LEAKS) {
            LEAKS.clear();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        // leaks are found when a leaked buffer's phantom reference is enqueued and a later allocation polls it
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50);
            for (int i = 0; i < 100; i++) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(8);
                buf.release();
            }
        }
        synchronized (LEAKS) {
            if (!LEAKS.isEmpty()) {
                throw new AssertionError(LEAKS.size() + " ByteBuf leak(s) reported:\n" + String.join("\n", LEAKS));
            }
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
