package io.smtpassistant.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.EngineConfig;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.net.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The program's configuration: environment variables, with an optional YAML file
 * ({@code SMTP_ASSISTANT_CONFIG}) holding the same keys; a variable overrides the file. Bad values
 * stop the program at start with a message naming the key and the expected form.
 */
public final class AppConfig {

    public static final String CONFIG_FILE = "SMTP_ASSISTANT_CONFIG";
    public static final String SENDING_IPS = "SMTP_ASSISTANT_SENDING_IPS";
    public static final String CHECK_FROM_SENDING_IPS = "SMTP_ASSISTANT_CHECK_FROM_SENDING_IPS";
    public static final String ALLOW_PRIVATE = "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS";
    public static final String ALLOWED_PORTS = "SMTP_ASSISTANT_ALLOWED_PORTS";
    public static final String CHECK_TIMEOUT = "SMTP_ASSISTANT_CHECK_TIMEOUT";
    public static final String DNS_SERVER = "SMTP_ASSISTANT_DNS_SERVER";
    public static final String CA_FILE = "SMTP_ASSISTANT_CA_FILE";
    public static final String USER_CHECK_LIMIT = "SMTP_ASSISTANT_USER_CHECK_LIMIT";
    /** Days after a resolve in which a requester's message reopens the request (default 7). */
    public static final String REOPEN_DAYS = "SMTP_ASSISTANT_REOPEN_DAYS";
    /** The terminal requester's e-mail for support requests (default: git config user.email). */
    public static final String REQUESTER_EMAIL = "SMTP_ASSISTANT_REQUESTER_EMAIL";

    private static final Pattern RATE =
            Pattern.compile("(\\d{1,6})\\s*/\\s*(\\d{1,6})\\s*(s|m|min|h)");

    private final Map<String, String> values;

    private AppConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Reads the optional YAML file named by {@code SMTP_ASSISTANT_CONFIG}, then lets the environment override it. */
    public static AppConfig load(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>();
        String file = env.get(CONFIG_FILE);
        if (file != null && !file.isBlank()) {
            merged.putAll(readFile(Path.of(file)));
        }
        env.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        return new AppConfig(merged);
    }

    private static Map<String, String> readFile(Path path) {
        try {
            JsonNode root = new YAMLMapper().readTree(Files.readString(path));
            Map<String, String> out = new HashMap<>();
            if (root != null && root.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    out.put(e.getKey(), v.isArray() ? join(v) : v.asText());
                }
            } else {
                throw new ConfigException(path + ": expected KEY: value lines, e.g. " + SENDING_IPS + ": 203.0.113.10");
            }
            return out;
        } catch (IOException e) {
            throw new ConfigException(path + " (" + CONFIG_FILE + ") cannot be read: " + e.getMessage());
        }
    }

    private static String join(JsonNode array) {
        StringBuilder b = new StringBuilder();
        array.forEach(n -> b.append(b.isEmpty() ? "" : ",").append(n.asText()));
        return b.toString();
    }

    public String get(String key) {
        return values.get(key);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The recruiting service's sending IPs customers must allowlist. */
    public List<String> sendingIps() {
        String v = values.getOrDefault(SENDING_IPS, "");
        return Arrays.stream(v.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean checkRunsFromSendingIps() {
        return bool(CHECK_FROM_SENDING_IPS, false);
    }

    /** The guard for chat checks: private targets refused unless explicitly allowed (internal deployments, tests). */
    public NetworkPolicy chatPolicy() {
        boolean allowPrivate = bool(ALLOW_PRIVATE, false);
        String ports = values.getOrDefault(ALLOWED_PORTS, "").strip();
        NetworkPolicy base = allowPrivate ? NetworkPolicy.permissive() : NetworkPolicy.chat();
        if (ports.isEmpty()) {
            return base;
        }
        if (ports.equalsIgnoreCase("any")) {
            return base.withAllowedPorts(Set.of());
        }
        Set<Integer> set = new TreeSet<>();
        for (String p : ports.split("[,\\s]+")) {
            Parsed<Integer> parsed = Inputs.port(p);
            if (!parsed.isOk() || parsed.value() == 0) {
                throw new ConfigException(ALLOWED_PORTS + "=" + ports + ": '" + p + "' is not a port; write e.g. 25,465,587,2525 or any");
            }
            set.add(parsed.value());
        }
        return base.withAllowedPorts(set);
    }

    /** {@value #REOPEN_DAYS}: 0 to 365 days, default 7. */
    public Duration reopenWindow() {
        String v = values.get(REOPEN_DAYS);
        if (v == null || v.isBlank()) {
            return Duration.ofDays(7);
        }
        try {
            int days = Integer.parseInt(v.strip());
            if (days >= 0 && days <= 365) {
                return Duration.ofDays(days);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(REOPEN_DAYS + "=" + (v.length() > 20 ? v.substring(0, 20) + "…" : v)
                + ": write a whole number of days from 0 to 365, e.g. 7");
    }

    public Duration checkTimeout() {
        String v = values.get(CHECK_TIMEOUT);
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(15);
        }
        Parsed<Duration> d = Inputs.timeout(v);
        if (!d.isOk()) {
            throw new ConfigException(CHECK_TIMEOUT + "=" + v + ": write a time such as 15s");
        }
        return d.value();
    }

    /** The JDK's trusted CAs, plus an internal CA from {@code SMTP_ASSISTANT_CA_FILE} (PEM) when set. */
    public io.smtpassistant.core.check.TrustConfig trust() {
        String file = values.get(CA_FILE);
        if (file == null || file.isBlank()) {
            return io.smtpassistant.core.check.TrustConfig.systemDefault();
        }
        try {
            return io.smtpassistant.core.check.TrustConfig.withCaFile(Path.of(file));
        } catch (IOException e) {
            throw new ConfigException(CA_FILE + "=" + file + ": " + e.getMessage());
        }
    }

    /**
     * How many checks one chat user may start in a window ({@code SMTP_ASSISTANT_USER_CHECK_LIMIT}, e.g.
     * {@code 10/10m}; {@code off} for none). Default: 10 in 10 minutes.
     */
    public CheckQuota userCheckQuota(Clock clock) {
        String v = values.getOrDefault(USER_CHECK_LIMIT, "").strip().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty()) {
            return CheckQuota.perUser(10, Duration.ofMinutes(10), clock);
        }
        if (v.equals("off")) {
            return CheckQuota.unlimited();
        }
        Matcher m = RATE.matcher(v);
        boolean rate = m.matches();
        int checks = rate ? Integer.parseInt(m.group(1)) : 0;
        long n = rate ? Long.parseLong(m.group(2)) : 0;
        if (checks < 1 || n < 1) {
            throw new ConfigException(USER_CHECK_LIMIT + "=" + v + ": write checks/time, e.g. 10/10m (10 checks per"
                    + " 10 minutes and user; units s, m, h), or off");
        }
        Duration window = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        return CheckQuota.perUser(checks, window, clock);
    }

    public String dnsServer() {
        return values.getOrDefault(DNS_SERVER, "");
    }

    public EngineConfig engineConfig(boolean chatMode) {
        EngineConfig d = EngineConfig.defaults();
        return new EngineConfig(sendingIps(), checkRunsFromSendingIps(), d.maxFailedChecks(), d.maxInvalidAnswers(),
                checkTimeout(), chatMode);
    }

    private boolean bool(String key, boolean dflt) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key + "=" + v + ": write true or false");
        };
    }

    /** A configuration value is wrong; the message names the key and the expected form. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
