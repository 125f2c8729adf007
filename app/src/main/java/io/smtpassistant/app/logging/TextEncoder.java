package io.smtpassistant.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import io.smtpassistant.app.cli.TerminalSafe;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The text log line: {@code 2026-12-05T09:13:38.123Z INFO  [main] ServerMode - Slack is on}, then the MDC's ids
 * in braces when there are any ({@code {request_id=…, conversation_id=…}}), then the exception's stack trace. Control
 * characters (an escape sequence in a quoted reply) are shown visibly ({@link TerminalSafe}), as everywhere on a terminal.
 * Time in UTC, the logger's simple class name. Written out rather than a Logback pattern: the pattern's parser
 * costs start-up time in every command, and this line has nothing to configure.
 */
public final class TextEncoder extends EncoderBase<ILoggingEvent> {

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(160);
        b.append(Instant.ofEpochMilli(event.getTimeStamp())).append(' ');
        String level = event.getLevel().toString();
        b.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        b.append('[').append(event.getThreadName()).append("] ");
        String logger = event.getLoggerName();
        b.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
        // a message may quote a server's reply or a header: its control characters are shown, not sent to a terminal
        b.append(TerminalSafe.block(event.getFormattedMessage()));
        Map<String, String> ids = event.getMDCPropertyMap();
        if (ids != null && !ids.isEmpty()) {
            b.append(' ').append(TerminalSafe.line(new java.util.TreeMap<>(ids).toString()));
        }
        b.append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            b.append(TerminalSafe.block(ThrowableProxyUtil.asString(event.getThrowableProxy()))).append(CoreConstants.LINE_SEPARATOR);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
