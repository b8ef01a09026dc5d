package io.culex.persistence.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread. It takes whatever events and sync requests have queued up, applies the events to
 * the {@link StoreState}, appends them to the log as one write, forces it to disk once (group commit: every sync
 * request of the batch shares that fsync) and then completes the batch's sync requests. It compacts the log into a
 * snapshot when the log has grown or the autosave interval has passed.
 *
 * <p>In autosave mode (Mosquitto's behaviour) nothing is logged: the state is written as a snapshot every
 * {@code autosave_interval} seconds (or changes), and sync requests complete at once.
 *
 * <p>A failed write (a full disk) undoes the partial append, fails the batch's sync requests (the broker then
 * refuses the publishes they guard), keeps the batch's bytes and tries again with the next batch; nothing stored
 * before is touched.
 */
final class StoreWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_BATCH = 8192;
    private static final long RETRY_MILLIS = 1000;

    /** The writer's settings. */
    record Policy(boolean logEvents, long autosaveSeconds, boolean autosaveOnChanges, long maxLogBytes) {
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StoreState state;
    private final LogSink files;
    private final Policy policy;
    private final Thread thread;
    private volatile boolean running = true;
    /** Frames written by no successful append yet (after a failure), in order. */
    private final List<ByteBuffer> unwritten = new ArrayList<>();
    private long changesSinceSnapshot;
    private long lastSnapshotNanos = System.nanoTime();
    private boolean failing;

    StoreWriter(StoreState state, LogSink files, Policy policy) {
        this.state = state;
        this.files = files;
        this.policy = policy;
        this.thread = new Thread(this, "culex-persistence-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queue an event (any thread). */
    void add(StoreEvent event) {
        queue.add(event);
    }

    /** @return completes when everything queued before is durable (at once in autosave mode) */
    CompletableFuture<Void> sync() {
        if (!policy.logEvents()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> request = new CompletableFuture<>();
        queue.add(request);
        return request;
    }

    /** Write what is queued, write a final snapshot, and stop (bounded wait). */
    void stop() throws InterruptedException {
        // no interrupt: an interrupted thread in FileChannel I/O closes the channel (ClosedByInterruptException)
        // and the final writes would be lost; the writer looks at the flag at least every 100 ms
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    @Override
    public void run() {
        List<Object> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH);
                    write(batch);
                    batch.clear();
                }
                compactIfDue(false);
            } catch (InterruptedException e) {
                // nobody interrupts this thread on purpose (see stop()); finish what is queued and end
                running = false;
            } catch (RuntimeException e) {
                LOG.error("Persistence writer: {}", e.toString(), e);
            }
        }
        compactIfDue(true);
    }

    private void write(List<Object> batch) throws InterruptedException {
        List<CompletableFuture<Void>> syncs = new ArrayList<>();
        List<ByteBuffer> frames = new ArrayList<>(unwritten);
        for (Object item : batch) {
            if (item instanceof StoreEvent) {
                StoreEvent e = (StoreEvent) item;
                if (policy.logEvents()) {
                    frames.add(FrameFormat.frame(RecordCodec.encode(withoutKnownMessage(e))));
                }
                state.apply(e);
                changesSinceSnapshot++;
            } else {
                @SuppressWarnings("unchecked")
                CompletableFuture<Void> request = (CompletableFuture<Void>) item;
                syncs.add(request);
            }
        }
        if (frames.isEmpty()) {
            syncs.forEach(f -> f.complete(null));
            return;
        }
        long before = -1;
        try {
            before = files.logSize();
            for (ByteBuffer f : frames) {
                f.rewind();
            }
            files.append(frames);
            files.force();
            unwritten.clear();
            if (failing) {
                failing = false;
                LOG.warn("The persistence store writes again.");
            }
            syncs.forEach(f -> f.complete(null));
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                LOG.error("Error: the persistence store cannot write {} ({}); QoS 1 and 2 messages are refused until "
                        + "it can.", files.logFile(), e.toString());
            }
            undo(before);
            unwritten.clear();
            unwritten.addAll(frames);
            syncs.forEach(f -> f.completeExceptionally(e));
            Thread.sleep(RETRY_MILLIS);
        }
    }

    /** A message the store already has is not written again: the entry refers to it by id. */
    private StoreEvent withoutKnownMessage(StoreEvent e) {
        if (e.type() == StoreEvent.Type.OUTGOING_ADDED && e.message() != null && state.hasMessage(e.message().id)) {
            return StoreEvent.outgoingAdded(e.key(), e.entry(), null);
        }
        return e;
    }

    private void undo(long size) {
        if (size < 0) {
            return;
        }
        try {
            files.truncateLog(size);
        } catch (IOException e) {
            LOG.error("Cannot cut the persistence log back to {} bytes: {}", size, e.toString());
        }
    }

    private void compactIfDue(boolean stopping) {
        if (changesSinceSnapshot == 0 || !unwritten.isEmpty()) {
            return;
        }
        boolean due = stopping;
        try {
            if (policy.logEvents() && files.logSize() > policy.maxLogBytes()) {
                due = true;
            }
        } catch (IOException e) {
            return;
        }
        if (policy.autosaveSeconds() > 0) {
            if (policy.autosaveOnChanges()) {
                due |= changesSinceSnapshot >= policy.autosaveSeconds();
            } else {
                due |= System.nanoTime() - lastSnapshotNanos >= TimeUnit.SECONDS.toNanos(policy.autosaveSeconds());
            }
        }
        if (!due) {
            return;
        }
        long start = System.nanoTime();
        try {
            files.compact(state);
            changesSinceSnapshot = 0;
            lastSnapshotNanos = System.nanoTime();
            LOG.debug("Persistence snapshot written: {} sessions, {} messages, {} retained in {} ms", state.sessions(),
                    state.messages(), state.retained(), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            LOG.error("Error: cannot write the persistence snapshot {} ({}); the log stays in force.",
                    files.snapshotFile(), e.toString());
            lastSnapshotNanos = System.nanoTime(); // try again at the next interval, not in a loop
        }
    }
}
