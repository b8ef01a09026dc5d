package io.culex.config.internal;

/**
 * Something the parser wants to tell the user that does not stop the configuration from being applied: a
 * deprecation note, an option Culex does not implement yet, a corrected value. The parser collects these instead
 * of logging them, because logging is itself configured from the file being parsed: they are logged once the new
 * log destinations are in place.
 */
record Diagnostic(Severity severity, String message) {

    enum Severity { ERROR, WARNING, NOTICE, INFO }

    static Diagnostic warning(String message) {
        return new Diagnostic(Severity.WARNING, message);
    }

    static Diagnostic notice(String message) {
        return new Diagnostic(Severity.NOTICE, message);
    }

    static Diagnostic info(String message) {
        return new Diagnostic(Severity.INFO, message);
    }

    static Diagnostic error(String message) {
        return new Diagnostic(Severity.ERROR, message);
    }
}
