package io.smtpassistant.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's choices ({@code ./smtp-assistant}, docs/benchmarks.md): the JVM options and the AOT cache for each
 * kind of start. {@code SMTP_ASSISTANT_LAUNCHER_DRY_RUN=1} makes it print the java command instead of building,
 * training or running anything.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..").toAbsolutePath().normalize().resolve("smtp-assistant");
    private static final boolean AOT = Runtime.version().feature() >= 25;
    private static final String C1 = "-XX:TieredStopAtLevel=1";

    @Test
    void theTerminalChatAndEveryCommandStartLeanWithTheirOwnCaches() throws Exception {
        String chat = command(Map.of());
        assertTrue(chat.contains(C1) && chat.contains("-XX:+UseSerialGC"), chat);
        assertTrue(chat.contains("-Djdk.reflect.useNativeAccessorOnly=true"), chat);
        assertEquals(AOT, chat.contains("smtp-assistant-chat.aot"), chat);
        for (String cmd : new String[] {"check", "stats", "tree", "chek"}) {
            String line = command(Map.of(), cmd);
            assertTrue(line.contains(C1) && line.contains("-XX:+UseSerialGC"), line);
            assertEquals(AOT, line.contains("smtp-assistant-cli.aot"), "one cache for every command, also a mistyped one: " + line);
            assertTrue(line.endsWith("-jar " + LAUNCHER.getParent().resolve("app/target/smtp-assistant.jar") + " " + cmd), line);
        }
        assertFalse(command(Map.of(), "--help").contains("-XX:AOTCache"), "--help maps no cache");
        assertFalse(command(Map.of("SMTP_ASSISTANT_AOT", "off"), "check").contains("-XX:AOTCache"));
    }

    @Test
    void theServerModeKeepsTheJvmsDefaultsAndACacheOfItsOwn() throws Exception {
        for (Map<String, String> server : List.of(Map.of("SLACK_BOT_TOKEN", "xoxb-test"), Map.of("MicrosoftAppId", "app"),
                Map.of("TEAMS_LOCAL", "true"), Map.of("SMTP_ASSISTANT_CONFIG", "/etc/smtp-assistant.yaml"))) {
            String line = command(server);
            assertFalse(line.contains(C1) || line.contains("-XX:+UseSerialGC"), server + ": " + line);
            assertEquals(AOT, line.contains("smtp-assistant-server.aot"), server + ": " + line);
        }
        assertTrue(command(Map.of("SLACK_BOT_TOKEN", "xoxb-test"), "check").contains(C1), "a command is a command");
    }

    private static String command(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        for (String platform : List.of("SLACK_BOT_TOKEN", "MicrosoftAppId", "TEAMS_LOCAL", "SMTP_ASSISTANT_CONFIG",
                "SMTP_ASSISTANT_AOT", "SMTP_ASSISTANT_JAVA_OPTS")) {
            e.remove(platform);
        }
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("SMTP_ASSISTANT_LAUNCHER_DRY_RUN", "1");
        e.putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher ended");
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.exists(LAUNCHER), LAUNCHER.toString());
        return out;
    }
}
