package io.culex.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.Restorer;

/** A disk that fails (full) refuses durability while it fails, loses nothing it accepted, and recovers. */
class StoreWriterTest {

    @TempDir
    Path dir;

    /** The real files, whose force() fails while {@link #full}. */
    private static final class FillingDisk implements LogSink {
        final StoreFiles files;
        volatile boolean full;

        FillingDisk(StoreFiles files) {
            this.files = files;
        }

        @Override
        public void append(List<ByteBuffer> frames) throws IOException {
            files.append(frames);
        }

        @Override
        public void force() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            files.force();
        }

        @Override
        public long logSize() throws IOException {
            return files.logSize();
        }

        @Override
        public void truncateLog(long size) throws IOException {
            files.truncateLog(size);
        }

        @Override
        public void compact(StoreState state) throws IOException {
            files.compact(state);
        }

        @Override
        public Path logFile() {
            return files.logFile();
        }

        @Override
        public Path snapshotFile() {
            return files.snapshotFile();
        }
    }

    private static PersistedOutgoing queued(long entryId, long messageId) {
        return new PersistedOutgoing(entryId, messageId, 1, false, new int[0], PersistedOutgoing.State.QUEUED, 0);
    }

    private static PersistedMessage message(long id) {
        return PersistedMessage.of(id, "t", ("m" + id).getBytes(StandardCharsets.UTF_8), 1, false, null, new byte[0],
                PersistedMessage.NEVER_EXPIRES);
    }

    @Test
    void aFullDiskFailsDurabilityUntilItHasRoomAndLosesNothingAccepted() throws Exception {
        StoreState state = new StoreState();
        StoreFiles files = StoreFiles.open(dir, "culex.db", state, new LoadReport());
        FillingDisk disk = new FillingDisk(files);
        StoreWriter writer = new StoreWriter(state, disk, new StoreWriter.Policy(true, 0, false, Long.MAX_VALUE));
        DurableStore store = new DurableStore(state, writer);
        store.restore(new Restorer() {
            @Override public void session(PersistedSession session) { }
            @Override public void subscription(String c, io.culex.api.persistence.PersistedSubscription s) { }
            @Override public void outgoing(String c, PersistedOutgoing e, PersistedMessage m) { }
            @Override public void incomingQos2(String c, int p) { }
            @Override public void retained(PersistedMessage m) { }
        });

        store.sessionSaved(new PersistedSession("s", null, null, ProtocolVersion.MQTT_5, 60, 1, null, 0));
        store.outgoingAdded("s", queued(1, 1), message(1));
        store.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);

        disk.full = true;
        store.outgoingAdded("s", queued(2, 2), message(2));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> store.sync().toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, refused.getCause());

        disk.full = false;
        store.outgoingAdded("s", queued(3, 3), message(3));
        store.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        writer.stop();
        files.close();

        StoreState reopened = new StoreState();
        LoadReport report = new LoadReport();
        StoreFiles.open(dir, "culex.db", reopened, report).close();
        assertEquals(List.of(), report.damage, "nothing damaged");
        assertEquals(List.of(1L, 2L, 3L), List.copyOf(reopened.session("s").outgoing.keySet()),
                "what failed to be forced was written again with the next batch");
    }
}
