package io.culex.auth.file.internal;

/** A password file entry whose hash cannot be used; the message is Mosquitto's for the same problem. */
public final class InvalidHashException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message Mosquitto's wording, naming the user */
    public InvalidHashException(String message) {
        super(message);
    }
}
