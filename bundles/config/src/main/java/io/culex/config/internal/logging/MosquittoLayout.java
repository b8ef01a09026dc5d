package io.culex.config.internal.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Lays out a log line as Mosquitto does: {@code <unix seconds>: <message>}, or with {@code log_timestamp_format}
 * the strftime-formatted local time, or only the message with {@code log_timestamp false}. No level or logger name,
 * so that tools that read Mosquitto's log read Culex's.
 */
final class MosquittoLayout extends LayoutBase<ILoggingEvent> {

    private final boolean timestamp;
    private final StrftimeFormatter timestampFormat;
    private final ZoneId zone;

    MosquittoLayout(LoggingSettings settings, ZoneId zone) {
        this.timestamp = settings.timestamp();
        this.timestampFormat = settings.timestampFormat().map(StrftimeFormatter::compile).orElse(null);
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (timestamp) {
            Instant time = Instant.ofEpochMilli(event.getTimeStamp());
            if (timestampFormat == null) {
                line.append(time.getEpochSecond());
            } else {
                line.append(timestampFormat.format(time, zone));
            }
            line.append(": ");
        }
        line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy throwable = event.getThrowableProxy();
        if (throwable != null) {
            line.append(ThrowableProxyUtil.asString(throwable)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
