package io.culex.dynsec.internal.model;

/**
 * A client, group or role: a unique name (the user, group or role name) and the optional display texts that
 * Mosquitto keeps for each ({@code textname}, {@code textdescription}).
 */
public abstract class Named {

    private final String name;
    private String textName;
    private String textDescription;

    Named(String name) {
        this.name = name;
    }

    /** @return the user, group or role name */
    public final String name() {
        return name;
    }

    /** @return the display name, or null */
    public final String textName() {
        return textName;
    }

    public final void textName(String value) {
        textName = value;
    }

    /** @return the description, or null */
    public final String textDescription() {
        return textDescription;
    }

    public final void textDescription(String value) {
        textDescription = value;
    }
}
