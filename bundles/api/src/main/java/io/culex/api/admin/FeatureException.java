package io.culex.api.admin;

/** A feature could not be installed or uninstalled; the message says which bundle and why. */
public final class FeatureException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the feature and the bundle
     * @param cause the framework's exception, if any
     */
    public FeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
