package io.culex.config.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs diagnostics under {@code io.culex.config}; Mosquitto's notices have no slf4j level and are logged at INFO. */
final class Slf4jDiagnosticSink implements DiagnosticSink {

    private static final Logger LOG = LoggerFactory.getLogger("io.culex.config");

    @Override
    public void report(Diagnostic diagnostic) {
        switch (diagnostic.severity()) {
            case ERROR -> LOG.error("{}", diagnostic.message());
            case WARNING -> LOG.warn("{}", diagnostic.message());
            case NOTICE, INFO -> LOG.info("{}", diagnostic.message());
        }
    }
}
