package io.culex.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.culex.api.ProtocolVersion;
import io.culex.api.persistence.PersistedMessage;
import io.culex.api.persistence.PersistedOutgoing;
import io.culex.api.persistence.PersistedSession;
import io.culex.api.persistence.PersistedSubscription;
import io.culex.api.persistence.Restorer;

/**
 * The store on disk: what the broker told it comes back after a restart, a cut or damaged file gives back what
 * precedes the damage (never a store that will not open), compaction keeps the state, and a Mosquitto database is
 * left alone.
 */
class StoreFilesTest {

    private static final StoreWriter.Policy DURABLE = new StoreWriter.Policy(true, 0, false, 1 << 20);

    @TempDir
    Path dir;

    /** An open store fed through the PersistenceListener the broker sees. */
    private static final class OpenStore implements AutoCloseable {
        final StoreState state = new StoreState();
        final LoadReport report = new LoadReport();
        final StoreFiles files;
        final StoreWriter writer;
        final DurableStore store;

        OpenStore(Path dir, StoreWriter.Policy policy) throws StoreException {
            files = StoreFiles.open(dir, "culex.db", state, report);
            writer = new StoreWriter(state, files, policy);
            store = new DurableStore(state, writer);
            store.restore(new Recorder());
        }

        void sync() throws Exception {
            store.sync().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            writer.stop();
            files.close();
        }
    }

    /** Records what a restore hands over, one line per record. */
    private static final class Recorder implements Restorer {
        final List<String> lines = new ArrayList<>();

        @Override
        public void session(PersistedSession s) {
            lines.add("session " + s.clientId() + " " + s.expirySeconds() + " " + s.protocolVersion()
                    + (s.will() == null ? "" : " will " + s.will().topic() + "=" + text(s.will())));
        }

        @Override
        public void subscription(String clientId, PersistedSubscription s) {
            lines.add("subscription " + clientId + " " + s);
        }

        @Override
        public void outgoing(String clientId, PersistedOutgoing e, PersistedMessage m) {
            lines.add("outgoing " + clientId + " " + e.entryId() + " " + e.state() + " " + e.packetId()
                    + (m == null ? "" : " " + m.topic() + "=" + text(m)));
        }

        @Override
        public void incomingQos2(String clientId, int packetId) {
            lines.add("qos2 " + clientId + " " + packetId);
        }

        @Override
        public void retained(PersistedMessage m) {
            lines.add("retained " + m.topic() + "=" + text(m));
        }
    }

    private static String text(PersistedMessage m) {
        java.nio.ByteBuffer b = m.payload();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static PersistedMessage message(long id, String topic, String text) {
        return PersistedMessage.of(id, topic, text.getBytes(StandardCharsets.UTF_8), 1, false, "pub", new byte[0],
                PersistedMessage.NEVER_EXPIRES);
    }

    private static PersistedOutgoing queued(long entryId, long messageId) {
        return new PersistedOutgoing(entryId, messageId, 1, false, new int[0], PersistedOutgoing.State.QUEUED, 0);
    }

    /** A history with every kind of event; what it leaves is {@link #EXPECTED}. */
    private static void history(DurableStore s) {
        s.sessionSaved(new PersistedSession("keeper", "u", "listener-1", ProtocolVersion.MQTT_5, 3600, 0,
                message(1, "wills/keeper", "gone"), 30));
        s.subscriptionAdded("keeper", new PersistedSubscription("a/#", 1, true, false, 0, 7));
        s.subscriptionAdded("keeper", new PersistedSubscription("b/#", 2, false, false, 0, 0));
        s.subscriptionRemoved("keeper", "b/#");
        s.outgoingAdded("keeper", queued(1, 10), message(10, "a/1", "first"));
        s.outgoingAdded("keeper", queued(2, 11), message(11, "a/2", "second"));
        s.outgoingUpdated("keeper", queued(1, 10).withState(PersistedOutgoing.State.SENT, 5));
        s.outgoingAdded("keeper", queued(3, 12), message(12, "a/3", "third"));
        s.outgoingRemoved("keeper", 3);
        s.outgoingUpdated("keeper", queued(2, 11).withState(PersistedOutgoing.State.SENT, 6));
        s.outgoingUpdated("keeper", queued(2, 11).withState(PersistedOutgoing.State.RELEASED, 6));
        s.incomingQos2Added("keeper", 9);
        s.incomingQos2Added("keeper", 10);
        s.incomingQos2Removed("keeper", 10);
        s.sessionSaved(new PersistedSession("gone", null, null, ProtocolVersion.MQTT_3_1_1,
                PersistedSession.NEVER_EXPIRES, 5, null, 0));
        s.subscriptionAdded("gone", new PersistedSubscription("x", 0, false, false, 0, 0));
        s.sessionRemoved("gone");
        s.retainedSet(message(20, "r/1", "old"));
        s.retainedSet(message(21, "r/1", "kept"));
        s.retainedSet(message(22, "r/2", "cleared"));
        s.retainedCleared("r/2");
    }

    private static final List<String> EXPECTED = List.of(
            "session keeper 3600 MQTT_5 will wills/keeper=gone",
            "subscription keeper PersistedSubscription[filter=a/#, qos=1, noLocal=true, retainAsPublished=false, "
                    + "retainHandling=0, subscriptionId=7]",
            "outgoing keeper 1 SENT 5 a/1=first",
            "outgoing keeper 2 RELEASED 6",
            "qos2 keeper 9",
            "retained r/1=kept");

    private List<String> reopened(Path directory) throws Exception {
        StoreState state = new StoreState();
        StoreFiles files = StoreFiles.open(directory, "culex.db", state, new LoadReport());
        files.close();
        Recorder recorder = new Recorder();
        state.restoreInto(recorder);
        return recorder.lines;
    }

    @Test
    void whatTheBrokerToldComesBackAfterARestart() throws Exception {
        try (OpenStore store = new OpenStore(dir, new StoreWriter.Policy(true, 0, false, Long.MAX_VALUE))) {
            history(store.store);
            store.sync();
            // the log alone (no snapshot yet) restores everything, as after a crash
            assertEquals(EXPECTED, reopened(copy(dir)));
        }
        assertEquals(EXPECTED, reopened(dir), "after the final snapshot");
        try (OpenStore again = new OpenStore(dir, DURABLE)) {
            assertEquals(2, again.state.messages(), "the sent entry's message and the retained one, no others");
        }
    }

    @Test
    void aLogCutAtAnyOffsetOpensWithTheIntactPrefix() throws Exception {
        try (OpenStore store = new OpenStore(dir, new StoreWriter.Policy(true, 0, false, Long.MAX_VALUE))) {
            history(store.store);
            store.sync();
            Path log = store.files.logFile();
            long size = Files.size(log);
            for (long cut = 0; cut < size; cut++) {
                Path copy = copy(dir);
                try (FileChannel c = FileChannel.open(copy.resolve("culex.db.log"), StandardOpenOption.WRITE)) {
                    c.truncate(cut);
                }
                StoreState state = new StoreState();
                LoadReport report = new LoadReport();
                StoreFiles.open(copy, "culex.db", state, report).close();
                Recorder recorder = new Recorder();
                state.restoreInto(recorder);
                if (cut > FrameFormat.FILE_HEADER) {
                    // what was cut off is reported, and the file is repaired: a second open finds no damage
                    LoadReport again = new LoadReport();
                    StoreFiles.open(copy, "culex.db", new StoreState(), again).close();
                    assertTrue(again.damage.isEmpty(), again.damage.toString());
                }
                deleteTree(copy);
            }
        }
    }

    @Test
    void aDamagedSnapshotGivesWhatPrecedesTheDamage() throws Exception {
        try (OpenStore store = new OpenStore(dir, DURABLE)) {
            history(store.store);
            store.sync();
        }
        Path snapshot = dir.resolve("culex.db");
        long size = Files.size(snapshot);
        for (long cut = 0; cut < size; cut += 5) {
            Path copy = copy(dir);
            try (FileChannel c = FileChannel.open(copy.resolve("culex.db"), StandardOpenOption.WRITE)) {
                c.truncate(cut);
            }
            LoadReport report = new LoadReport();
            StoreFiles.open(copy, "culex.db", new StoreState(), report).close();
            assertFalse(report.damage.isEmpty(), "a cut at " + cut + " of " + size + " is reported");
            deleteTree(copy);
        }
        // a flipped byte in the middle: the checksum catches it
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(snapshot, bytes);
        LoadReport report = new LoadReport();
        StoreFiles.open(dir, "culex.db", new StoreState(), report).close();
        assertFalse(report.damage.isEmpty());
    }

    @Test
    void aLogOlderThanTheSnapshotIsNotReplayed() throws Exception {
        Path oldLog = dir.resolve("old.log");
        try (OpenStore store = new OpenStore(dir, DURABLE)) {
            store.store.sessionSaved(new PersistedSession("removed-later", null, null, ProtocolVersion.MQTT_5, 60, 1,
                    null, 0));
            store.sync();
            Files.copy(store.files.logFile(), oldLog);
            store.store.sessionRemoved("removed-later");
            store.sync();
        }
        // the broker stopped between the snapshot's rename and the new log's: the old log is still there
        Files.move(oldLog, dir.resolve("culex.db.log"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(List.of(), reopened(dir));
    }

    @Test
    void aMosquittoDatabaseIsRefusedAndLeftAlone() throws Exception {
        byte[] mosquitto = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't', 'o', ' ', 'd', 'b', 0, 0,
            0, 6};
        Files.write(dir.resolve("culex.db"), mosquitto);
        StoreException e = assertThrows(StoreException.class,
                () -> StoreFiles.open(dir, "culex.db", new StoreState(), new LoadReport()));
        assertTrue(e.getMessage().contains("Mosquitto"), e.getMessage());
        assertTrue(java.util.Arrays.equals(mosquitto, Files.readAllBytes(dir.resolve("culex.db"))));
    }

    @Test
    void aStoreInUseIsRefusedUntilItsOwnerClosesIt() throws Exception {
        try (OpenStore first = new OpenStore(dir, DURABLE)) {
            StoreException e = assertThrows(StoreException.class,
                    () -> StoreFiles.open(dir, "culex.db", new StoreState(), new LoadReport()));
            assertTrue(e.getMessage().contains("in use by another broker process")
                    && e.getMessage().contains("persistence_location"), e.getMessage());
        }
        try (OpenStore second = new OpenStore(dir, DURABLE)) {
            assertEquals(0, second.state.sessions(), "opened once the first closed");
        }
    }

    @Test
    void autosaveModeWritesNoLogAndSnapshotsOnStop() throws Exception {
        try (OpenStore store = new OpenStore(dir, new StoreWriter.Policy(false, 1800, false, 1 << 20))) {
            history(store.store);
            CompletionStage<Void> sync = store.store.sync();
            assertTrue(sync.toCompletableFuture().isDone(), "nothing to wait for");
        }
        assertEquals(FrameFormat.FILE_HEADER, Files.size(dir.resolve("culex.db.log")));
        assertEquals(EXPECTED, reopened(dir));
    }

    @Test
    void aMessageSharedByEntriesIsWrittenOnce() throws Exception {
        byte[] big = new byte[100_000];
        try (OpenStore store = new OpenStore(dir, new StoreWriter.Policy(true, 0, false, Long.MAX_VALUE))) {
            for (int i = 0; i < 10; i++) {
                store.store.sessionSaved(new PersistedSession("s" + i, null, null, ProtocolVersion.MQTT_5, 60, 1,
                        null, 0));
                store.store.outgoingAdded("s" + i, queued(1, 99), PersistedMessage.of(99, "big", big, 1, false,
                        null, new byte[0], PersistedMessage.NEVER_EXPIRES));
            }
            store.sync();
            long logSize = Files.size(store.files.logFile());
            assertTrue(logSize < 2 * big.length, "one copy of the payload in the log: " + logSize);
            assertNotNull(store.state.message(99));
            for (int i = 0; i < 10; i++) {
                store.store.outgoingRemoved("s" + i, 1);
            }
            store.sync();
            assertNull(store.state.message(99), "dropped with its last entry");
        }
    }

    private Path copy(Path from) throws IOException {
        Path to = Files.createTempDirectory(dir.getParent(), "copy");
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
