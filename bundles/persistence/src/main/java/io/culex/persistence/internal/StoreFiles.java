package io.culex.persistence.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on disk: a snapshot ({@code <file>}) and a write-ahead log ({@code <file>.log}) of the events since.
 * Both carry a generation in their header; compaction writes the snapshot of the next generation (to a temporary
 * file, fsync'ed, renamed over the old one), then starts an empty log of that generation the same way. A log older
 * than the snapshot is therefore one whose events the snapshot already holds (the broker stopped between the two
 * renames) and is ignored.
 *
 * <p>Damage never stops the broker: a torn tail of the log is cut off at the last intact frame, a damaged snapshot
 * gives what precedes the damage (each logged), and a file that is not a store at all is moved aside.
 */
final class StoreFiles implements LogSink, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreFiles.class);

    static final byte[] SNAPSHOT_MAGIC = "CULEXSNP".getBytes(StandardCharsets.US_ASCII);
    static final byte[] LOG_MAGIC = "CULEXLOG".getBytes(StandardCharsets.US_ASCII);
    /** The start of a Mosquitto persistence file: its magic bytes. */
    private static final byte[] MOSQUITTO_MAGIC = {0x00, (byte) 0xB5, 0x00, 'm', 'o', 's', 'q', 'u', 'i', 't', 't',
        'o', ' ', 'd', 'b'};

    private final Path directory;
    private final Path snapshot;
    private final Path log;
    private final Path lockFile;
    private FileChannel lockChannel;
    private FileChannel logChannel;
    private long generation;

    private StoreFiles(Path directory, String fileName) {
        this.directory = directory;
        this.snapshot = directory.resolve(fileName);
        this.log = directory.resolve(fileName + ".log");
        this.lockFile = directory.resolve(fileName + ".lock");
    }

    /**
     * Open the store in a directory, loading what it holds into {@code state}, and leave the log open for appending.
     *
     * @throws StoreException if the directory cannot be used or the file is another program's (a Mosquitto
     *     database), with the reason
     */
    static StoreFiles open(Path directory, String fileName, StoreState state, LoadReport report)
            throws StoreException {
        StoreFiles files = new StoreFiles(directory, fileName);
        try {
            Files.createDirectories(directory);
            files.lock();
            files.load(state, report);
            return files;
        } catch (IOException e) {
            files.closeQuietly();
            throw new StoreException("Error: cannot use the persistence store in " + directory + ": " + e, e);
        }
    }

    /**
     * Two brokers writing one store would corrupt it (two Culex processes started from one installation share its
     * data directory): the first holds an OS file lock for as long as it runs (released even if it is killed), and
     * the second is refused with the way out.
     */
    private void lock() throws IOException, StoreException {
        lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        boolean locked;
        try {
            locked = lockChannel.tryLock() != null;
        } catch (OverlappingFileLockException sameProcess) {
            locked = false;
        }
        if (!locked) {
            throw new StoreException("Error: the persistence store " + snapshot + " is in use by another broker "
                    + "process (locked through " + lockFile.getFileName() + "). Give each broker its own "
                    + "persistence_location.");
        }
    }

    @Override
    public Path snapshotFile() {
        return snapshot;
    }

    @Override
    public Path logFile() {
        return log;
    }

    private void load(StoreState state, LoadReport report) throws IOException, StoreException {
        long snapshotGeneration = -1;
        if (Files.exists(snapshot)) {
            rejectMosquittoDatabase();
            snapshotGeneration = loadSnapshot(state, report);
        }
        long logGeneration = -1;
        if (Files.exists(log)) {
            logGeneration = replayLog(state, snapshotGeneration, report);
        }
        generation = Math.max(Math.max(snapshotGeneration, logGeneration), 0);
        if (logGeneration != generation) {
            startLog(generation); // none, stale or unreadable: an empty log of the snapshot's generation
        } else {
            logChannel = FileChannel.open(log, StandardOpenOption.WRITE);
            logChannel.position(logChannel.size());
        }
    }

    private void rejectMosquittoDatabase() throws IOException, StoreException {
        byte[] start = new byte[MOSQUITTO_MAGIC.length];
        try (FileChannel c = FileChannel.open(snapshot, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(start);
            while (b.hasRemaining() && c.read(b) >= 0) {
                // read on
            }
        }
        if (java.util.Arrays.equals(start, MOSQUITTO_MAGIC)) {
            throw new StoreException("Error: " + snapshot + " is a Mosquitto persistence database, which Culex "
                    + "cannot read; move it away or set another persistence_file. Culex leaves it untouched.");
        }
    }

    /** @return the snapshot's generation, or -1 if it is unusable (moved aside) */
    private long loadSnapshot(StoreState state, LoadReport report) throws IOException {
        try (FileChannel c = FileChannel.open(snapshot, StandardOpenOption.READ)) {
            long snapshotGeneration;
            try {
                snapshotGeneration = FrameFormat.readHeader(c, SNAPSHOT_MAGIC, snapshot.toString());
            } catch (IOException e) {
                Path aside = moveAside(snapshot);
                report.damage("the snapshot " + snapshot + " is unusable (" + e.getMessage() + "); moved to "
                        + aside + ", starting from the log alone");
                return -1;
            }
            long records = 0;
            boolean complete = false;
            while (true) {
                long offset = c.position();
                byte[] body = FrameFormat.readFrame(c);
                if (body == null) {
                    report.damage("the snapshot " + snapshot + " ends after " + records + " records at offset "
                            + offset + " of " + c.size() + " (damaged or cut); restored what precedes it");
                    break;
                }
                if ((body[0] & 0xFF) == RecordCodec.END_OF_SNAPSHOT) {
                    complete = true;
                    break;
                }
                try {
                    state.apply(RecordCodec.decode(body));
                } catch (IOException | RuntimeException e) {
                    report.damage("the snapshot " + snapshot + " has a record it cannot read at offset " + offset
                            + " (" + e.getMessage() + "); restored what precedes it");
                    break;
                }
                records++;
            }
            report.snapshotRecords = records;
            if (!complete) {
                LOG.debug("Incomplete snapshot {}", snapshot);
            }
            return snapshotGeneration;
        }
    }

    /** @return the log's generation if its events were applied, else -1 */
    private long replayLog(StoreState state, long snapshotGeneration, LoadReport report) throws IOException {
        try (FileChannel c = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long logGeneration;
            try {
                logGeneration = FrameFormat.readHeader(c, LOG_MAGIC, log.toString());
            } catch (IOException e) {
                if (c.size() < FrameFormat.FILE_HEADER) {
                    return -1; // cut while it was being created: it held nothing
                }
                Path aside = moveAside(log);
                report.damage("the log " + log + " is unusable (" + e.getMessage() + "); moved to " + aside);
                return -1;
            }
            if (logGeneration < snapshotGeneration) {
                return -1; // written before the snapshot: the snapshot holds its events
            }
            long records = 0;
            while (true) {
                long offset = c.position();
                byte[] body = FrameFormat.readFrame(c);
                if (body == null) {
                    if (offset < c.size()) {
                        report.damage("the log " + log + " ends with " + (c.size() - offset) + " bytes of a torn "
                                + "write at offset " + offset + "; cut off after " + records + " intact records");
                        c.truncate(offset);
                        c.force(true);
                    }
                    break;
                }
                try {
                    state.apply(RecordCodec.decode(body));
                } catch (IOException | RuntimeException e) {
                    report.damage("the log " + log + " has a record it cannot read at offset " + offset + " ("
                            + e.getMessage() + "); cut off there after " + records + " records");
                    c.truncate(offset);
                    c.force(true);
                    break;
                }
                records++;
            }
            report.logRecords = records;
            return logGeneration;
        }
    }

    private static Path moveAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
        Files.move(file, aside);
        return aside;
    }

    @Override
    public void append(List<ByteBuffer> frames) throws IOException {
        ByteBuffer[] array = frames.toArray(new ByteBuffer[0]);
        long total = 0;
        for (ByteBuffer b : array) {
            total += b.remaining();
        }
        while (total > 0) {
            total -= logChannel.write(array);
        }
    }

    @Override
    public void force() throws IOException {
        logChannel.force(false);
    }

    @Override
    public long logSize() throws IOException {
        return logChannel.size();
    }

    @Override
    public void truncateLog(long size) throws IOException {
        logChannel.truncate(size);
        logChannel.position(size);
    }

    /**
     * Write the state as the snapshot of the next generation and start an empty log of it. On failure the old
     * snapshot and log stay in force.
     */
    @Override
    public void compact(StoreState state) throws IOException {
        long next = generation + 1;
        Path temporary = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(c, FrameFormat.header(SNAPSHOT_MAGIC, next));
            long[] count = {0};
            IOException[] failure = {null};
            state.forEachEvent(e -> {
                if (failure[0] == null) {
                    try {
                        writeFully(c, FrameFormat.frame(RecordCodec.encode(e)));
                        count[0]++;
                    } catch (IOException io) {
                        failure[0] = io;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            writeFully(c, FrameFormat.frame(RecordCodec.endOfSnapshot(count[0])));
            c.force(true);
        }
        replace(temporary, snapshot);
        startLog(next);
        generation = next;
    }

    private void startLog(long logGeneration) throws IOException {
        Path temporary = log.resolveSibling(log.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(c, FrameFormat.header(LOG_MAGIC, logGeneration));
            c.force(true);
        }
        replace(temporary, log);
        if (logChannel != null) {
            logChannel.close();
        }
        logChannel = FileChannel.open(log, StandardOpenOption.WRITE);
        logChannel.position(logChannel.size());
    }

    private void replace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        // the rename itself must be durable before what follows relies on it
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            LOG.debug("Cannot fsync directory {}: {}", directory, notSupported.toString());
        }
    }

    private static void writeFully(FileChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (logChannel != null) {
                logChannel.close();
                logChannel = null;
            }
        } finally {
            if (lockChannel != null) {
                lockChannel.close(); // releases the lock
                lockChannel = null;
            }
        }
    }
}
