package io.smtpassistant.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * Logback's set-up for the app, in code (found through {@code META-INF/services}; no XML to parse at start):
 * one console appender on standard error, as {@link LogSettings} asks: text lines ({@link TextEncoder}) or one
 * JSON object per line (Logback's {@link JsonEncoder}: timestamp, level, thread, logger, message, the MDC's ids,
 * the exception). Standard error is looked up at each line, so the terminal chat can move it to its log file
 * ({@code TerminalLog}) and tests can capture it.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        apply(context, LogSettings.orDefaults(System.getenv()));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Logs as {@code settings} ask from now on (the chat and the server mode, once their configuration, which may
     * come from a file, is read). Does nothing when SLF4J is bound to another logger than Logback.
     */
    public static void use(LogSettings settings) {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, settings);
        }
    }

    /** Replaces the context's appenders and levels with what {@code settings} asks for. */
    public static void apply(LoggerContext context, LogSettings settings) {
        context.reset();
        Encoder<ILoggingEvent> encoder = settings.json() ? json() : new TextEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.root(), Level.INFO));
        root.addAppender(console);
        settings.loggers().forEach((name, level) -> context.getLogger(name).setLevel(Level.toLevel(level, Level.INFO)));
    }

    private static JsonEncoder json() {
        JsonEncoder json = new JsonEncoder();
        json.setWithSequenceNumber(false);
        json.setWithNanoseconds(false);
        json.setWithContext(false);
        json.setWithMarkers(false);
        json.setWithArguments(false);
        json.setWithMessage(false);          // the pattern with its {} ...
        json.setWithFormattedMessage(true);  // ... no: the message as written
        return json;
    }
}
