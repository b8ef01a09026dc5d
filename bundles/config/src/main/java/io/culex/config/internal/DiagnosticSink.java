package io.culex.config.internal;

/** Where diagnostics and status messages go: the log in production, a list in tests. */
@FunctionalInterface
interface DiagnosticSink {

    void report(Diagnostic diagnostic);
}
