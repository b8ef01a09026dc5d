package io.culex.persistence.internal;

import java.nio.file.Path;

import io.culex.api.persistence.PersistenceListener;
import io.culex.api.persistence.Restorer;

/**
 * The store without OSGi, for benchmarks and tools on a plain class path: open a directory, get the
 * {@link PersistenceListener} the broker would talk to (already restored into {@code restorer}), close.
 */
public final class EmbeddedStore implements AutoCloseable {

    private final StoreFiles files;
    private final StoreWriter writer;
    private final DurableStore store;

    private EmbeddedStore(Path directory, boolean acknowledged, Restorer restorer) throws Exception {
        StoreState state = new StoreState();
        files = StoreFiles.open(directory, "culex.db", state, new LoadReport());
        writer = new StoreWriter(state, files, new StoreWriter.Policy(acknowledged, 0, false,
                PersistenceComponent.MAX_LOG_BYTES));
        store = new DurableStore(state, writer);
        store.restore(restorer);
    }

    /**
     * @param acknowledged {@code persistence_durability acknowledged} (else autosave)
     * @param restorer receives what the directory held
     */
    public static EmbeddedStore open(Path directory, boolean acknowledged, Restorer restorer) throws Exception {
        return new EmbeddedStore(directory, acknowledged, restorer);
    }

    public PersistenceListener listener() {
        return store;
    }

    @Override
    public void close() throws Exception {
        writer.stop();
        files.close();
    }
}
