package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS=true} lets chat checks reach internal hosts but never
 * widens the chat's port list: a chat user cannot probe SSH, Redis or PostgreSQL and read the banner.
 */
class ChatPortPolicyTest {

    @Test
    void allowingPrivateTargetsKeepsTheMailPortsOnly() {
        NetworkPolicy policy = AppConfig.load(Map.of(AppConfig.ALLOW_PRIVATE, "true")).chatPolicy();
        assertFalse(policy.denyPrivate(), "private targets are allowed");
        for (int port : List.of(22, 6379, 5432, 3306, 80)) {
            assertFalse(policy.portAllowed(port), "port " + port + " stays outside the chat's list");
        }
        for (int port : List.of(25, 465, 587, 2525)) {
            assertTrue(policy.portAllowed(port), "mail port " + port);
        }
        assertTrue(AppConfig.load(Map.of()).chatPolicy().denyPrivate(), "the default refuses private targets");
        assertTrue(AppConfig.load(Map.of(AppConfig.ALLOW_PRIVATE, "true", AppConfig.ALLOWED_PORTS, "any")).chatPolicy()
                .portAllowed(6379), "only SMTP_ASSISTANT_ALLOWED_PORTS widens the list");
    }

    @Test
    void aChatCheckToAPortOutsideTheListIsRefusedWithoutConnecting(@TempDir Path data) throws Exception {
        try (ScriptedSmtpServer listener = ScriptedSmtpServer.builder().greeting("220 banner a chat user must not read").start()) {
            Map<String, String> env = new HashMap<>(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), AppConfig.ALLOW_PRIVATE, "true"));
            List<String> refused = chatCheck(env, listener.port(), "U-mallory");
            assertEquals(0, listener.connections(), "no connection was made to port " + listener.port());
            assertTrue(refused.stream().anyMatch(t -> t.contains("Port " + listener.port()) && t.contains("587")),
                    "the user is told the port is outside the list: " + refused);
            assertTrue(refused.stream().noneMatch(t -> t.contains("banner a chat user must not read")), refused.toString());

            env.put(AppConfig.ALLOWED_PORTS, "587," + listener.port()); // the control: the same check with the port listed connects
            chatCheck(env, listener.port(), "U-control"); // another user: conversations survive the restart
            assertTrue(listener.awaitConnections(1, Duration.ofSeconds(10)), "a listed port is reached");
        }
    }

    /** One chat user runs a check of 127.0.0.1:{@code port}; returns the texts and progress lines the bot said. */
    private static List<String> chatCheck(Map<String, String> env, int port, String user) throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        try (ChatServices services = new ChatServices(Knowledge.load(), AppConfig.load(env), Clock.systemUTC());
             ConversationRuntime runtime = services.runtime((key, replies) -> collect(replies, texts), List.of())) {
            ConversationKey key = new ConversationKey("slack", "T1", user, "t1");
            for (Input input : List.<Input>of(new Input.Text("hi"), new Input.Choice("entry:first-setup"), new Input.Choice("opt:0"),
                    new Input.FormSubmit("sender", Map.of("sender", "anna@gmx.de"), null),
                    new Input.Choice("preset:no"), new Input.Choice("shared:no"),
                    new Input.FormSubmit("settings", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                            "security", "none", "username", ""), Secret.of("unused")))) {
                runtime.submit(key, Locale.ENGLISH, "Mallory", input);
                assertTrue(runtime.awaitIdle(key, Duration.ofSeconds(30)), "the conversation went idle");
            }
        }
        return texts;
    }

    private static void collect(List<Reply> replies, List<String> texts) {
        for (Reply r : replies) {
            switch (r) {
                case Reply.Text t -> texts.add(t.text());
                case Reply.Progress p -> texts.add(p.text());
                case Reply.Form f -> f.fields().forEach(field -> texts.add(field.error()));
                default -> {
                }
            }
        }
    }
}
