package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code SMTP_ASSISTANT_USER_CHECK_LIMIT}: parsed strictly, applied to chat platforms, not to the terminal. */
class UserCheckLimitTest {

    private static final Clock CLOCK = Clock.systemUTC();

    private static CheckQuota quota(String value) {
        return AppConfig.load(value == null ? Map.of() : Map.of(AppConfig.USER_CHECK_LIMIT, value)).userCheckQuota(CLOCK);
    }

    @Test
    void valuesAndTheDefault() {
        CheckQuota dflt = quota(null);
        assertEquals(10, dflt.checks());
        assertEquals(Duration.ofMinutes(10), dflt.window());
        assertEquals(Duration.ofHours(1), quota("3/1h").window());
        assertEquals(3, quota(" 3 / 1h ").checks());
        assertEquals(Duration.ofSeconds(90), quota("5/90s").window());
        assertEquals(Duration.ofMinutes(15), quota("20/15min").window());
        assertFalse(quota("off").limited());
        assertFalse(quota("OFF").limited());
    }

    @Test
    void aBadValueNamesTheKeyAndTheExpectedForm() {
        for (String bad : List.of("10", "0/10m", "10/0m", "ten/10m", "10/10d", "-1/10m", "10 per 10m")) {
            AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> quota(bad), bad);
            assertTrue(e.getMessage().contains(AppConfig.USER_CHECK_LIMIT) && e.getMessage().contains("10/10m"), e.getMessage());
        }
    }

    @Test
    void chatRuntimesAreLimitedTheTerminalIsNot(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), AppConfig.USER_CHECK_LIMIT, "1/10m",
                AppConfig.ALLOW_PRIVATE, "true", AppConfig.ALLOWED_PORTS, "any");
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.builder().start();
             ChatServices services = new ChatServices(Knowledge.load(), AppConfig.load(env), CLOCK)) {
            List<String> chat = twoChecks(services, smtp, true);
            assertEquals(1, smtp.connections(), "chat: the second check of the same user was refused before connecting");
            assertTrue(chat.stream().anyMatch(t -> t.contains("next check is possible in about 10 min")), chat.toString());

            List<String> terminal = twoChecks(services, smtp, false);
            assertEquals(3, smtp.connections(), "terminal: both checks ran");
            assertTrue(terminal.stream().noneMatch(t -> t.contains("next check is possible")), terminal.toString());
        }
    }

    /** One user starts two checks in two threads of their chat; returns every text the bot said. */
    private static List<String> twoChecks(ChatServices services, ScriptedSmtpServer smtp, boolean chat) throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        ConversationKey me = new ConversationKey("terminal", "T1", "U-anna", "");
        try (ConversationRuntime runtime = chat
                ? services.runtime((key, replies) -> collect(replies, texts), List.of())
                : services.terminalRuntime((key, replies) -> collect(replies, texts), me,
                        new io.smtpassistant.core.support.Requester("terminal", "U-anna", "Anna"))) {
            for (String thread : List.of("t1", "t2")) {
                ConversationKey key = new ConversationKey(chat ? "slack" : "terminal", "T1", "U-anna", thread);
                for (Input input : List.<Input>of(new Input.Text("hi"), new Input.Choice("entry:first-setup"), new Input.Choice("opt:0"),
                        new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null),
                        new Input.Choice("preset:no"), new Input.Choice("shared:no"),
                        new Input.FormSubmit("settings", Map.of("host", "localhost", "port", String.valueOf(smtp.port()),
                                "security", "none", "username", ""), Secret.of("unused")))) {
                    runtime.submit(key, Locale.ENGLISH, "Anna", input);
                    assertTrue(runtime.awaitIdle(key, Duration.ofSeconds(30)), "the conversation went idle");
                }
            }
        }
        return texts;
    }

    private static void collect(List<Reply> replies, List<String> texts) {
        for (Reply r : replies) {
            if (r instanceof Reply.Text t) {
                texts.add(t.text());
            }
        }
    }
}
