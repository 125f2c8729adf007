package io.smtpassistant.app.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.shared.LogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The log settings as the environment gives them, and the lines they make: text with the MDC's ids in braces,
 * JSON one object per line with the ids under {@code mdc}, levels per logger; and ids carried to another thread.
 */
class LogSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void settingsComeFromTheEnvironmentAndWrongValuesSayWhatARightOneLooksLike() {
        LogSettings d = ok(Map.of());
        assertEquals(false, d.json());
        assertEquals("info", d.root());
        assertEquals("warn", d.loggers().get("org.flywaydb"));
        assertEquals("text, info", d.describe());

        LogSettings s = ok(Map.of(LogSettings.FORMAT, " JSON ", LogSettings.LEVEL, "Warn, io.smtpassistant.slack = debug,org.flywaydb=info"));
        assertTrue(s.json());
        assertEquals("warn", s.root());
        assertEquals("debug", s.loggers().get("io.smtpassistant.slack"));
        assertEquals("json, warn, org.flywaydb=info, io.smtpassistant.slack=debug", s.describe());

        assertEquals(Map.of("io.smtpassistant", "debug", "org.flywaydb", "warn", "com.zaxxer.hikari", "warn",
                "io.smtpassistant.core.oauth", "warn"), ok(Map.of(LogSettings.LEVEL, "io.smtpassistant=debug")).loggers());
        assertEquals("SMTP_ASSISTANT_LOG_FORMAT='xml' is not a log format: use text or json.",
                wrong(Map.of(LogSettings.FORMAT, "xml")));
        for (String level : new String[] {"loud", "info,=debug", "info,warn", "info,io..x=debug", "info,a=verbose"}) {
            assertTrue(wrong(Map.of(LogSettings.LEVEL, level)).startsWith("SMTP_ASSISTANT_LOG_LEVEL='" + level + "' is not a log level:"
                    + " use one of trace, debug, info, warn, error, off"), level);
        }
        assertEquals(LogSettings.defaults(), LogSettings.orDefaults(Map.of(LogSettings.LEVEL, "loud")));
    }

    @Test
    void textLinesCarryTheIdsAndJsonLinesAreObjectsWithThem() throws Exception {
        ConversationKey key = new ConversationKey("slack", "T1", "U1", "");
        String text = logged(LogSettings.defaults(), log -> {
            try (var r = LogContext.with(LogContext.REQUEST, "req-1"); var c = LogContext.conversation(key)) {
                log.info("turn {} done", 3);
            }
            log.info("no ids here");
            log.info("quoted \u001b[2Jreply");
            log.debug("not at info");
        });
        String[] lines = text.split("\n");
        assertEquals(3, lines.length, text);
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main] LogSetupTest - turn 3 done"
                + " \\{conversation_id=" + key.logId() + ", request_id=req-1}"), lines[0]);
        assertTrue(lines[1].endsWith("LogSetupTest - no ids here"), lines[1]);
        assertTrue(!lines[2].contains("\u001b") && lines[2].endsWith("reply"), "an escape sequence is shown, not sent: " + lines[2]);

        String json = logged(new LogSettings(true, "debug", Map.of("io.smtpassistant.app.logging", "warn")), log -> {
            try (var r = LogContext.with(LogContext.REQUEST, "req-2")) {
                log.warn("refused: {}", "\"quoted\"", new IllegalStateException("boom"));
                log.info("below warn for this logger");
            }
        });
        String[] objects = json.split("\n");
        assertEquals(1, objects.length, json);
        JsonNode o = JSON.readTree(objects[0]);
        assertEquals("WARN", o.path("level").asText());
        assertEquals("refused: \"quoted\"", o.path("formattedMessage").asText());
        assertEquals("req-2", o.path("mdc").path("request_id").asText());
        assertEquals(LogSetupTest.class.getName(), o.path("loggerName").asText());
        assertTrue(o.path("throwable").toString().contains("boom"), objects[0]);
    }

    @Test
    void workHandedToAnotherThreadTakesTheIdsAndLeavesNothingBehind() throws Exception {
        ConversationKey key = new ConversationKey("teams", "tenant", "29:u", "");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String[] seen = new String[4];
            try (var r = LogContext.with(LogContext.REQUEST, "req-3")) {
                pool.submit(LogContext.carry(key, () -> {
                    seen[0] = org.slf4j.MDC.get(LogContext.REQUEST);
                    seen[1] = org.slf4j.MDC.get(LogContext.CONVERSATION);
                })).get(5, TimeUnit.SECONDS);
            }
            pool.submit(() -> {
                seen[2] = org.slf4j.MDC.get(LogContext.REQUEST);
                seen[3] = org.slf4j.MDC.get(LogContext.CONVERSATION);
            }).get(5, TimeUnit.SECONDS);
            assertEquals("req-3", seen[0]);
            assertEquals(key.logId(), seen[1]);
            assertTrue(seen[1].matches("c-[0-9a-f]{12}"), seen[1]);
            assertEquals(null, seen[2], "the pooled thread carries nothing to its next task");
            assertEquals(null, seen[3]);
            assertEquals(null, org.slf4j.MDC.get(LogContext.REQUEST), "the scope put back what was there");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(java.util.Optional.of("abc-1.2:3_x"), LogContext.plainId("abc-1.2:3_x"));
        assertEquals(java.util.Optional.empty(), LogContext.plainId("two words"));
        assertEquals(java.util.Optional.empty(), LogContext.plainId("x".repeat(65)));
    }

    private static LogSettings ok(Map<String, String> env) {
        return assertInstanceOf(LogSettings.Parsed.Ok.class, LogSettings.parse(env)).settings();
    }

    private static String wrong(Map<String, String> env) {
        return assertInstanceOf(LogSettings.Parsed.Wrong.class, LogSettings.parse(env)).problem();
    }

    /** What a private Logback context set up with {@code settings} writes to System.err while {@code body} logs. */
    private static String logged(LogSettings settings, java.util.function.Consumer<Logger> body) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // as SLF4J's binding does for its own context
        LogSetup.apply(context, settings);
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.accept(context.getLogger(LogSetupTest.class));
        } finally {
            System.setErr(old);
            context.stop();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
