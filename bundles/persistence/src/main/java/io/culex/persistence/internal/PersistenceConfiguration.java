package io.culex.persistence.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.persistence} configuration: Mosquitto's option names (a double underscore in a
 * method name stands for one underscore), which the config bundle fills from culex.conf.
 */
@ObjectClassDefinition(name = "Culex persistence", description = "Sessions, subscriptions, queued and retained "
        + "messages on disk, as Mosquitto's persistence options")
@interface PersistenceConfiguration {

    @AttributeDefinition(description = "Keep the broker's state on disk.")
    boolean persistence() default false;

    @AttributeDefinition(description = "Directory of the store files; empty: <culex.home>/data. A relative path is "
            + "relative to the working directory, as in Mosquitto.", required = false)
    String persistence__location() default "";

    @AttributeDefinition(description = "File name of the store's snapshot (the log is <name>.log).")
    String persistence__file() default "culex.db";

    @AttributeDefinition(description = "Seconds between snapshots (or changes, with autosave_on_changes); the log "
            + "is compacted into the snapshot then. 0: only when the log grows past 64 MiB.", min = "0")
    int autosave__interval() default 1800;

    @AttributeDefinition(description = "Count autosave_interval in changes instead of seconds.")
    boolean autosave__on__changes() default false;

    @AttributeDefinition(description = "Culex's own: 'acknowledged' (every acknowledged QoS 1/2 message is on disk, "
            + "written and fsync'ed with group commit) or 'autosave' (Mosquitto's behaviour: snapshots only, what "
            + "came since the last one is lost on a crash).")
    String persistence__durability() default "acknowledged";
}
