package io.culex.persistence.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** Where the writer puts the log and the snapshots: the store's files (and, in tests, a disk that fails). */
interface LogSink {

    /** Append frames to the log (not yet durable). */
    void append(List<ByteBuffer> frames) throws IOException;

    /** Make what was appended durable. */
    void force() throws IOException;

    long logSize() throws IOException;

    /** Undo a partial append. */
    void truncateLog(long size) throws IOException;

    /** Write the state as a snapshot and start an empty log; on failure the old ones stay in force. */
    void compact(StoreState state) throws IOException;

    Path logFile();

    Path snapshotFile();
}
