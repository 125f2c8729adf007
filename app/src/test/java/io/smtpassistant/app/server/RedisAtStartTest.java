package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.Main;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real program, in a child JVM, configured for Slack with a {@code REDIS_URL} where nothing
 * listens: it stops at start with exit 3 and one line that names the address (not its password) and
 * what to do, and no stack trace.
 */
class RedisAtStartTest {

    @TempDir
    Path work;

    @Test
    void anUnreachableRedisStopsTheStartWithOneClearLineAndExit3() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // free again once closed: nothing listens there
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(work.resolve("out").toFile())
                .redirectError(work.resolve("err").toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("REDIS_URL", "redis://:canary-redis-pw-7@127.0.0.1:" + closed + "/0");
        pb.environment().put("SMTP_ASSISTANT_DATA_DIR", work.resolve("data").toString());
        pb.environment().put("SLACK_BOT_TOKEN", "xoxb-test");
        pb.environment().put("SLACK_SIGNING_SECRET", "test-signing-secret");
        pb.environment().put("SLACK_API_URL", "http://127.0.0.1:" + closed + "/api/");
        pb.environment().put("SMTP_ASSISTANT_HTTP_PORT", "0");
        pb.environment().remove("DATABASE_URL");
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the program did not stop");
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(work.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(work.resolve("err"), StandardCharsets.UTF_8);
        String all = out + err;
        assertEquals(3, p.exitValue(), all);
        String line = "smtp-assistant cannot start: Redis at redis://127.0.0.1:" + closed + "/0 is not reachable: ";
        assertTrue(err.lines().anyMatch(l -> l.startsWith(line) && l.endsWith("; start it or unset REDIS_URL")), all);
        assertFalse(all.contains("\tat ") || all.contains("Exception in") || all.contains("Caused by"), "no stack trace:\n" + all);
        assertFalse(all.contains("canary-redis-pw-7"), "the password is never shown:\n" + all);
    }
}
