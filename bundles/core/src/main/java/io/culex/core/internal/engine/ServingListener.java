package io.culex.core.internal.engine;

import io.culex.api.ListenerInfo;

/** A listener accepting clients now, as the engine lists it for administration. */
public interface ServingListener {

    /** @return what it serves now */
    ListenerInfo info();
}
