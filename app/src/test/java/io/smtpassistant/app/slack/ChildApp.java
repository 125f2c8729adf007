package io.smtpassistant.app.slack;

import io.smtpassistant.app.Main;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The app as a child JVM of the test's class path, with the environment a test gives it and none of the machine's settings. */
final class ChildApp {

    private ChildApp() {
    }

    /** A process builder for the app with {@code env} (the machine's app, Slack, Teams, Zendesk and store variables removed). */
    static ProcessBuilder builder(Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SMTP_ASSISTANT_") || k.startsWith("SLACK_") || k.startsWith("Microsoft")
                || k.startsWith("TEAMS_") || k.equals("DATABASE_URL") || k.equals("REDIS_URL") || k.startsWith("ZENDESK_"));
        pb.environment().putAll(env);
        return pb;
    }
}
