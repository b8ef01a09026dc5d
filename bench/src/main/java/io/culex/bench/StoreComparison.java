package io.culex.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.PersistenceListener;
import io.culex.api.persistence.Restorer;
import io.culex.persistence.internal.EmbeddedStore;

/**
 * Why Culex's persistence is a log of its own: the same durable workload on Culex's store and on H2's MVStore (the
 * embedded store Moquette uses), each made durable the same way (fsync after every group of events), on the same
 * disk. The workload is what a broker with persistent subscribers produces: each QoS 1 message queued for a
 * session (payload and entry) and removed when acknowledged a little later.
 *
 * <pre>java -cp 'bench/target/culex-bench-*.jar:bench/target/lib/*' io.culex.bench.StoreComparison
 *     [messages 100000] [payload 256] [group 64] [directory /tmp]</pre>
 */
public final class StoreComparison {

    private static final int SESSIONS = 64;
    /** Entries stay this many messages before their acknowledgement removes them. */
    private static final int IN_FLIGHT = 1000;

    private StoreComparison() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int payload = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int group = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        Path base = Path.of(args.length > 3 ? args[3] : System.getProperty("java.io.tmpdir"));
        System.out.printf("# %d messages of %d bytes for %d sessions, fsync every %d events, in %s%n", messages,
                payload, SESSIONS, group, base);
        for (int round = 0; round < 3; round++) {
            report("culex-log", culex(base, messages, payload, group));
            report("h2-mvstore", mvstore(base, messages, payload, group));
        }
    }

    private record Result(long events, long nanos, long bytesWritten, long bytesOnDisk) {
    }

    private static void report(String label, Result r) {
        double seconds = r.nanos / 1e9;
        System.out.printf("RESULT store=%s events=%d events_per_s=%.0f written_mb=%.1f on_disk_mb=%.1f%n", label,
                r.events, r.events / seconds, r.bytesWritten / 1e6, r.bytesOnDisk / 1e6);
    }

    private static Result culex(Path base, int messages, int payload, int group) throws Exception {
        Path dir = Files.createTempDirectory(base, "culex-store-");
        byte[] body = new byte[payload];
        long events = 0;
        long writtenBefore = writtenBytes();
        long start = System.nanoTime();
        try (EmbeddedStore store = EmbeddedStore.open(dir, true, NO_RESTORE)) {
            PersistenceListener s = store.listener();
            for (int i = 0; i < SESSIONS; i++) {
                s.sessionSaved(new PersistedSession("s" + i, null, null, ProtocolVersion.MQTT_3_1_1,
                        PersistedSession.NEVER_EXPIRES, 1, null, 0));
                s.subscriptionAdded("s" + i, new PersistedSubscription("t/#", 1, false, false, 0, 0));
            }
            for (int i = 0; i < messages; i++) {
                s.outgoingAdded("s" + (i % SESSIONS), new PersistedOutgoing(i, i, 1, false, new int[0],
                        PersistedOutgoing.State.QUEUED, 0), PersistedMessage.of(i, "t/x", body, 1, false, "p",
                        new byte[0], PersistedMessage.NEVER_EXPIRES));
                events++;
                if (i >= IN_FLIGHT) {
                    s.outgoingRemoved("s" + ((i - IN_FLIGHT) % SESSIONS), i - IN_FLIGHT);
                    events++;
                }
                if (events % group == 0) {
                    s.sync().toCompletableFuture().get(30, TimeUnit.SECONDS);
                }
            }
            s.sync().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        long nanos = System.nanoTime() - start;
        return new Result(events, nanos, writtenBytes() - writtenBefore, deleteTree(dir));
    }

    private static Result mvstore(Path base, int messages, int payload, int group) throws Exception {
        Path dir = Files.createTempDirectory(base, "mvstore-");
        byte[] body = new byte[payload];
        long events = 0;
        long writtenBefore = writtenBytes();
        long start = System.nanoTime();
        MVStore store = new MVStore.Builder().fileName(dir.resolve("store.mv").toString()).autoCommitDisabled()
                .open();
        try {
            MVMap<String, byte[]> sessions = store.openMap("sessions");
            MVMap<Long, byte[]> payloads = store.openMap("messages");
            MVMap<String, byte[]> outgoing = store.openMap("outgoing");
            for (int i = 0; i < SESSIONS; i++) {
                sessions.put("s" + i, new byte[32]);
            }
            store.commit();
            for (int i = 0; i < messages; i++) {
                payloads.put((long) i, body);
                outgoing.put("s" + (i % SESSIONS) + "/" + i, entry(i));
                events++;
                if (i >= IN_FLIGHT) {
                    long old = i - IN_FLIGHT;
                    outgoing.remove("s" + (old % SESSIONS) + "/" + old);
                    payloads.remove(old);
                    events++;
                }
                if (events % group == 0) {
                    store.commit();
                    store.sync();
                }
            }
            store.commit();
            store.sync();
        } finally {
            store.close();
        }
        long nanos = System.nanoTime() - start;
        return new Result(events, nanos, writtenBytes() - writtenBefore, deleteTree(dir));
    }

    private static byte[] entry(long id) {
        return ByteBuffer.allocate(32).putLong(id).putLong(id).array();
    }

    /** @return bytes this process made the kernel write to storage (Linux /proc/self/io), or 0 */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** @return the bytes the directory held */
    private static long deleteTree(Path dir) throws IOException {
        long size = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                if (Files.isRegularFile(p)) {
                    size += Files.size(p);
                }
                Files.delete(p);
            }
        }
        return size;
    }

    private static final Restorer NO_RESTORE = new Restorer() {
        @Override
        public void session(PersistedSession session) {
        }

        @Override
        public void subscription(String clientId, PersistedSubscription subscription) {
        }

        @Override
        public void outgoing(String clientId, PersistedOutgoing entry, PersistedMessage message) {
        }

        @Override
        public void incomingQos2(String clientId, int packetId) {
        }

        @Override
        public void retained(PersistedMessage message) {
        }
    };
}
