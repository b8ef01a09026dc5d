package io.culex.persistence.internal;

/** The store cannot be used; the message says why, for the log. */
final class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    StoreException(String message) {
        super(message);
    }

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
