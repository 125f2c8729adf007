package io.smtpassistant.app.logging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the app logs, from the environment: {@value #FORMAT} ({@code text}, the default, or {@code json}: one JSON
 * object per line, for a log collector) and {@value #LEVEL} (the level of everything, optionally followed by levels
 * of single loggers: {@code info}, {@code debug}, {@code warn,io.smtpassistant.slack=debug}). Levels: trace, debug,
 * info, warn, error, off. Flyway's and HikariCP's start-up chatter and the Microsoft sign-in's steps are at warn
 * unless named there.
 *
 * @param json    one JSON object per line
 * @param root    the level of every logger not named
 * @param loggers levels of single loggers (the quiet defaults, then what {@value #LEVEL} names)
 */
public record LogSettings(boolean json, String root, Map<String, String> loggers) {

    public static final String FORMAT = "SMTP_ASSISTANT_LOG_FORMAT";
    public static final String LEVEL = "SMTP_ASSISTANT_LOG_LEVEL";
    private static final java.util.Set<String> LEVELS = java.util.Set.of("trace", "debug", "info", "warn", "error", "off");

    public LogSettings {
        loggers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
    }

    /** Settings, or why the environment's values are wrong. */
    public sealed interface Parsed {
        record Ok(LogSettings settings) implements Parsed {
        }

        /** One line naming the variable, the value (shortened) and what a right value looks like. */
        record Wrong(String problem) implements Parsed {
        }
    }

    /** The defaults: text, info, the quiet loggers at warn. */
    public static LogSettings defaults() {
        return new LogSettings(false, "info", quiet());
    }

    /** What {@code env} asks for; values are case-insensitive and may have spaces around them. */
    public static Parsed parse(Map<String, String> env) {
        String format = env.getOrDefault(FORMAT, "").strip().toLowerCase(Locale.ROOT);
        if (!format.isEmpty() && !format.equals("text") && !format.equals("json")) {
            return new Parsed.Wrong(FORMAT + "=" + shown(env.get(FORMAT)) + " is not a log format: use text or json.");
        }
        String level = env.getOrDefault(LEVEL, "").strip();
        String root = "info";
        Map<String, String> loggers = quiet();
        if (!level.isEmpty()) {
            String[] parts = level.split(",");
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].strip();
                int eq = part.indexOf('=');
                String name = eq < 0 ? "" : part.substring(0, eq).strip();
                String value = (eq < 0 ? part : part.substring(eq + 1)).strip().toLowerCase(Locale.ROOT);
                boolean nameOk = eq < 0 ? i == 0 : name.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*");
                if (!nameOk || !LEVELS.contains(value)) {
                    return new Parsed.Wrong(LEVEL + "=" + shown(env.get(LEVEL)) + " is not a log level: use one of"
                            + " trace, debug, info, warn, error, off, optionally followed by single loggers,"
                            + " e.g. info or warn,io.smtpassistant.slack=debug.");
                }
                if (eq < 0) {
                    root = value;
                } else {
                    loggers.put(name, value);
                }
            }
        }
        return new Parsed.Ok(new LogSettings(format.equals("json"), root, loggers));
    }

    /** {@link #parse}, with the defaults when the values are wrong (the app's configuration says so and exits 3). */
    public static LogSettings orDefaults(Map<String, String> env) {
        return parse(env) instanceof Parsed.Ok ok ? ok.settings() : defaults();
    }

    /** One line for the start-up: {@code text, info} or {@code json, warn, io.smtpassistant.slack=debug}. */
    public String describe() {
        StringBuilder b = new StringBuilder(json ? "json" : "text").append(", ").append(root);
        Map<String, String> named = new LinkedHashMap<>(loggers);
        quiet().forEach((k, v) -> named.remove(k, v)); // Map.remove(key, value): only a quiet default kept as it is
        named.forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
        return b.toString();
    }

    private static Map<String, String> quiet() {
        Map<String, String> m = new LinkedHashMap<>();
        // opening the support store migrates its schema and starts a pool: not for a person running 'requests list'
        m.put("org.flywaydb", "warn");
        m.put("com.zaxxer.hikari", "warn");
        // the Microsoft sign-in logs each step at info for servers; the check command shows the steps itself
        m.put("io.smtpassistant.core.oauth", "warn");
        return m;
    }

    private static String shown(String value) {
        String v = value == null ? "" : value.strip();
        v = v.replaceAll("\\p{Cntrl}", "?");
        return "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'";
    }
}
