package io.culex.dynsec.internal.model;

/** A client, group or role: something with a unique name and optional display texts. */
public interface Named {

    /** @return the user, group or role name */
    String name();
}
