package io.smtpassistant.app.config;

import io.smtpassistant.app.logging.LogSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.smtpassistant.core.check.EhloName;
import io.smtpassistant.core.check.FindingText;
import io.smtpassistant.core.engine.CheckQuota;
import io.smtpassistant.core.engine.EngineConfig;
import io.smtpassistant.core.input.Inputs;
import io.smtpassistant.core.input.Parsed;
import io.smtpassistant.core.net.NetworkPolicy;
import io.smtpassistant.core.net.Resolver;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.channel.EmailChannel;
import io.smtpassistant.core.support.channel.Evidence;
import io.smtpassistant.core.support.channel.WebhookChannel;
import io.smtpassistant.core.support.channel.ZendeskChannel;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
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
    /** How long a stopping server waits for running checks to finish and their results to be delivered. */
    public static final String DRAIN_TIMEOUT = "SMTP_ASSISTANT_DRAIN_TIMEOUT";
    public static final String DNS_SERVER = "SMTP_ASSISTANT_DNS_SERVER";
    public static final String CA_FILE = "SMTP_ASSISTANT_CA_FILE";
    public static final String USER_CHECK_LIMIT = "SMTP_ASSISTANT_USER_CHECK_LIMIT";
    public static final String SERVICE_OAUTH = "SMTP_ASSISTANT_SERVICE_OAUTH";
    public static final String EHLO_NAME = "SMTP_ASSISTANT_EHLO_NAME";
    /** Days after a resolve in which a requester's message reopens the request (default 7). */
    public static final String REOPEN_DAYS = "SMTP_ASSISTANT_REOPEN_DAYS";
    /** The terminal requester's e-mail for support requests (default: git config user.email). */
    public static final String REQUESTER_EMAIL = "SMTP_ASSISTANT_REQUESTER_EMAIL";

    /**
     * Where instances share conversations, turn locks, de-duplication and the check limit, e.g.
     * {@code redis://127.0.0.1:6379/0} ({@code rediss://} for TLS; a password as {@code redis://:secret@host:6379/0}).
     * Unset: everything is kept in this process (one instance).
     */
    public static final String REDIS_URL = "REDIS_URL";

    private static final Pattern REDIS = Pattern.compile("rediss?://(?:[^@/\\s]*@)?([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])"
            + "(?::(\\d{1,5}))?(?:/(\\d{1,2}))?/?");

    /** How long a chat conversation may sit idle before it is forgotten, e.g. {@code 30m} (the default) or {@code 2h}. */
    public static final String CONVERSATION_IDLE = "SMTP_ASSISTANT_CONVERSATION_IDLE";
    /** How long the terminal keeps a conversation to resume the next time, in days (default 7). */
    public static final Duration TERMINAL_RESUME = Duration.ofDays(7);

    private static final Pattern IDLE = Pattern.compile("(\\d{1,4})\\s*(m|min|h)");

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

    /**
     * How to log ({@code SMTP_ASSISTANT_LOG_FORMAT}, {@code SMTP_ASSISTANT_LOG_LEVEL}; see {@link LogSettings}).
     *
     * @throws ConfigException when a value is not a format or level, with what a right one looks like
     */
    public LogSettings logSettings() {
        return switch (LogSettings.parse(values)) {
            case LogSettings.Parsed.Ok ok -> ok.settings();
            case LogSettings.Parsed.Wrong wrong -> throw new ConfigException(wrong.problem());
        };
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

    /**
     * The guard for chat checks: private targets refused unless {@code SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS}
     * allows them (internal deployments, tests). The two keys are independent: allowing private targets
     * never widens the port list (the chat's mail ports unless {@code SMTP_ASSISTANT_ALLOWED_PORTS} says
     * otherwise), so a chat user cannot probe SSH, Redis or PostgreSQL on internal hosts.
     */
    public NetworkPolicy chatPolicy() {
        boolean allowPrivate = bool(ALLOW_PRIVATE, false);
        String ports = values.getOrDefault(ALLOWED_PORTS, "").strip();
        NetworkPolicy base = NetworkPolicy.chat().withDenyPrivate(!allowPrivate);
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
                throw new ConfigException(ALLOWED_PORTS + "=" + Inputs.shorten(ports) + ": '" + Inputs.shorten(p) + "' is not a port; write e.g. 25,465,587,2525 or any");
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

    /** {@value #CONVERSATION_IDLE}: 1 minute to 48 hours, default 30 minutes. */
    public Duration conversationIdle() {
        String v = values.get(CONVERSATION_IDLE);
        if (v == null || v.isBlank()) {
            return Duration.ofMinutes(30);
        }
        Matcher m = IDLE.matcher(v.strip().toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            Duration d = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofMinutes(n);
            if (!d.isZero() && d.compareTo(Duration.ofHours(48)) <= 0) {
                return d;
            }
        }
        throw new ConfigException(CONVERSATION_IDLE + "=" + Inputs.shorten(v)
                + ": write minutes or hours from 1m to 48h, e.g. 30m or 2h");
    }

    public Duration checkTimeout() {
        return time(CHECK_TIMEOUT, Duration.ofSeconds(15));
    }

    /** A time such as {@code 15s} under {@code key}, or {@code otherwise} when unset. */
    private Duration time(String key, Duration otherwise) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        Parsed<Duration> d = Inputs.timeout(v);
        if (!d.isOk()) {
            throw new ConfigException(key + "=" + Inputs.shorten(v) + ": write a time such as " + otherwise.toSeconds() + "s");
        }
        return d.value();
    }

    /**
     * {@value #DRAIN_TIMEOUT}: how long a server stopped with SIGTERM lets running checks finish and
     * delivers their results before it exits; default 30 s (a check's own deadline, 15 s by default, plus
     * a margin for port discovery and delivery). Checks still running then are offered again after the restart.
     */
    public Duration drainTimeout() {
        return time(DRAIN_TIMEOUT, Duration.ofSeconds(30));
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
            throw new ConfigException(CA_FILE + "=" + Inputs.shorten(String.valueOf(file)) + ": " + e.getMessage());
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
            throw new ConfigException(USER_CHECK_LIMIT + "=" + Inputs.shorten(v) + ": write checks/time, e.g. 10/10m (10 checks per"
                    + " 10 minutes and user; units s, m, h), or off");
        }
        Duration window = switch (m.group(3)) {
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        return CheckQuota.perUser(checks, window, clock);
    }

    /**
     * The "Sign in with …" options the recruiting service offers for e-mail: {@code microsoft}, {@code google},
     * comma separated; none by default.
     */
    public Set<String> serviceOAuth() {
        return serviceOAuth(values.getOrDefault(SERVICE_OAUTH, ""));
    }

    /** Parses a {@link #SERVICE_OAUTH} value; a word other than microsoft, google or none is a {@link ConfigException}. */
    public static Set<String> serviceOAuth(String value) {
        Set<String> out = new TreeSet<>();
        for (String word : value.split("[,\\s]+")) {
            String w = word.strip().toLowerCase(java.util.Locale.ROOT);
            if (w.isEmpty() || w.equals("none")) {
                continue;
            }
            if (!w.equals(FindingText.MICROSOFT) && !w.equals(FindingText.GOOGLE)) {
                throw new ConfigException(SERVICE_OAUTH + "=" + value + ": '" + word.strip() + "' is not a sign-in the service "
                        + "can offer; write microsoft, google, microsoft,google or none");
            }
            out.add(w);
        }
        return Set.copyOf(out);
    }

    /** The host name live checks say EHLO with; the machine's fully qualified name by default. */
    public String ehloName() {
        String v = values.get(EHLO_NAME);
        if (v == null || v.isBlank()) {
            return EhloName.ofThisMachine();
        }
        return EhloName.parse(v).orElseThrow(() -> new ConfigException(EHLO_NAME + "=" + v
                + ": not a fully qualified host name (no address literal); write e.g. mail.example.com"));
    }

    /**
     * The resolver of live checks: the DNS server of {@link #DNS_SERVER} when set, else the system's.
     */
    public Resolver checkResolver() {
        String server = dnsServer().strip();
        if (server.isEmpty()) {
            return Resolver.system();
        }
        try {
            return Resolver.dns(server);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DNS_SERVER + "=" + server + ": write a dns:// URL, e.g. dns://10.0.0.2");
        }
    }

    public String dnsServer() {
        return values.getOrDefault(DNS_SERVER, "");
    }

    public EngineConfig engineConfig(boolean chatMode) {
        EngineConfig d = EngineConfig.defaults();
        return new EngineConfig(sendingIps(), checkRunsFromSendingIps(), d.maxFailedChecks(), d.maxInvalidAnswers(),
                checkTimeout(), chatMode, serviceOAuth()).withMicrosoftSignIn(microsoftSignIn().isPresent());
    }

    /**
     * The app registration for the modern sign-in with Microsoft ({@code SMTP_ASSISTANT_MS_CLIENT_ID},
     * {@code SMTP_ASSISTANT_MS_AUTHORITY}); empty when no client id is set, and then the chat does not offer it.
     */
    public java.util.Optional<io.smtpassistant.core.oauth.MicrosoftSignInConfig> microsoftSignIn() {
        try {
            return io.smtpassistant.core.oauth.MicrosoftSignInConfig.fromEnv(values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private boolean bool(String key, boolean dflt) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(key + "=" + Inputs.shorten(v) + ": write true or false");
        };
    }

    // --- support channels: Zendesk, e-mail, webhook -------------------------------------------------

    public static final String ZENDESK_URL = "ZENDESK_URL";
    public static final String ZENDESK_EMAIL = "ZENDESK_EMAIL";
    public static final String ZENDESK_API_TOKEN = "ZENDESK_API_TOKEN";
    public static final String ZENDESK_WEBHOOK_SECRET = "ZENDESK_WEBHOOK_SECRET";
    public static final String SUPPORT_EMAIL = "SMTP_ASSISTANT_SUPPORT_EMAIL";
    public static final String MAIL_HOST = "SMTP_ASSISTANT_MAIL_HOST";
    public static final String MAIL_PORT = "SMTP_ASSISTANT_MAIL_PORT";
    public static final String MAIL_SECURITY = "SMTP_ASSISTANT_MAIL_SECURITY";
    public static final String MAIL_USER = "SMTP_ASSISTANT_MAIL_USER";
    public static final String MAIL_PASSWORD = "SMTP_ASSISTANT_MAIL_PASSWORD";
    public static final String MAIL_FROM = "SMTP_ASSISTANT_MAIL_FROM";
    public static final String WEBHOOK_URL = "SMTP_ASSISTANT_WEBHOOK_URL";
    public static final String WEBHOOK_SECRET = "SMTP_ASSISTANT_WEBHOOK_SECRET";
    /** Bounds the connection and each call of the Zendesk, e-mail and webhook channels. */
    static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(10);
    private static final int MIN_SECRET = 16;

    /**
     * Zendesk, when {@code ZENDESK_URL}, {@code ZENDESK_EMAIL} and {@code ZENDESK_API_TOKEN} are set
     * (all three or none).
     */
    public Optional<ZendeskChannel.Settings> zendesk() {
        List<String> keys = List.of(ZENDESK_URL, ZENDESK_EMAIL, ZENDESK_API_TOKEN);
        List<String> set = keys.stream().filter(k -> !value(k).isEmpty()).toList();
        if (set.isEmpty()) {
            if (!value(ZENDESK_WEBHOOK_SECRET).isEmpty()) {
                throw new ConfigException(ZENDESK_WEBHOOK_SECRET + " is set, but " + ZENDESK_URL + ", " + ZENDESK_EMAIL
                        + " and " + ZENDESK_API_TOKEN + " are not: the webhook answers tickets the app made; set those"
                        + " three too, or remove " + ZENDESK_WEBHOOK_SECRET);
            }
            return Optional.empty();
        }
        for (String k : keys) {
            if (!set.contains(k)) {
                throw new ConfigException(k + " is missing: Zendesk needs " + ZENDESK_URL + " (e.g. https://example.zendesk.com), "
                        + ZENDESK_EMAIL + " (an agent's address) and " + ZENDESK_API_TOKEN + "; set all three, or none");
            }
        }
        URI url = httpsUrl(ZENDESK_URL, "https://example.zendesk.com");
        if (!(url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/"))) {
            throw new ConfigException(ZENDESK_URL + "=" + shown(value(ZENDESK_URL)) + ": give the account's address without a"
                    + " path, e.g. https://example.zendesk.com");
        }
        return Optional.of(new ZendeskChannel.Settings(url, address(ZENDESK_EMAIL, "agent@example.com").getAddress(),
                Secret.of(value(ZENDESK_API_TOKEN))));
    }

    /** The signing secret of the Zendesk webhook that calls {@code /support/zendesk}, when set. */
    public Optional<Secret> zendeskWebhookSecret() {
        String v = value(ZENDESK_WEBHOOK_SECRET);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        zendesk(); // the webhook needs the account: says which key is missing
        return Optional.of(Secret.of(v));
    }

    /**
     * E-mail to the support team, when {@code SMTP_ASSISTANT_SUPPORT_EMAIL} is set: through the relay
     * {@code SMTP_ASSISTANT_MAIL_HOST} ({@code _PORT}, default by security 587, 465 or 25;
     * {@code _SECURITY} starttls (default), tls or none; {@code _USER}, {@code _PASSWORD}; {@code _FROM}).
     */
    public Optional<EmailChannel.Settings> supportEmail() {
        String to = value(SUPPORT_EMAIL);
        if (to.isEmpty()) {
            for (String k : List.of(MAIL_HOST, MAIL_FROM, MAIL_USER, MAIL_PASSWORD)) {
                if (!value(k).isEmpty()) {
                    throw new ConfigException(k + " is set, but " + SUPPORT_EMAIL + " is not: set the support team's"
                            + " address, e.g. " + SUPPORT_EMAIL + "=support@example.com, or remove the SMTP_ASSISTANT_MAIL_ keys");
                }
            }
            return Optional.empty();
        }
        InternetAddress recipient = address(SUPPORT_EMAIL, "support@example.com");
        String host = value(MAIL_HOST);
        if (host.isEmpty()) {
            throw new ConfigException(MAIL_HOST + " is missing: e-mail to " + SUPPORT_EMAIL + " goes through a relay; set"
                    + " e.g. " + MAIL_HOST + "=smtp.example.com");
        }
        if (!io.smtpassistant.core.input.Inputs.host(host).isOk()) {
            throw new ConfigException(MAIL_HOST + "=" + shown(host) + ": write a host name or address, e.g. smtp.example.com");
        }
        String sec = value(MAIL_SECURITY).toLowerCase(Locale.ROOT);
        EmailChannel.Security security = switch (sec) {
            case "", "starttls" -> EmailChannel.Security.STARTTLS;
            case "tls", "ssl" -> EmailChannel.Security.TLS;
            case "none" -> EmailChannel.Security.NONE;
            default -> throw new ConfigException(MAIL_SECURITY + "=" + shown(sec) + ": write starttls (port 587), tls (port 465)"
                    + " or none (a relay on this host only)");
        };
        int port = switch (security) {
            case STARTTLS -> 587;
            case TLS -> 465;
            case NONE -> 25;
        };
        if (!value(MAIL_PORT).isEmpty()) {
            Parsed<Integer> p = Inputs.port(value(MAIL_PORT));
            if (!p.isOk() || p.value() == 0) {
                throw new ConfigException(MAIL_PORT + "=" + shown(value(MAIL_PORT)) + ": write a port from 1 to 65535, e.g. 587");
            }
            port = p.value();
        }
        String user = value(MAIL_USER);
        String password = value(MAIL_PASSWORD);
        if (!password.isEmpty() && user.isEmpty()) {
            throw new ConfigException(MAIL_PASSWORD + " is set, but " + MAIL_USER + " is not: set the relay's login, e.g. "
                    + MAIL_USER + "=bot@example.com");
        }
        if (!user.isEmpty() && password.isEmpty()) {
            throw new ConfigException(MAIL_USER + " is set, but " + MAIL_PASSWORD + " is not: set the relay's password, or"
                    + " remove " + MAIL_USER + " for a relay without login");
        }
        if (security == EmailChannel.Security.NONE && !password.isEmpty() && !loopback(host)) {
            throw new ConfigException(MAIL_SECURITY + "=none would send " + MAIL_PASSWORD + " unencrypted to " + shown(host)
                    + ": use starttls or tls (none only for a relay on this host)");
        }
        String from = value(MAIL_FROM);
        if (from.isEmpty()) {
            throw new ConfigException(MAIL_FROM + " is missing: set the sender of the support mails, e.g. "
                    + MAIL_FROM + "=smtp-assistant@example.com");
        }
        return Optional.of(new EmailChannel.Settings(host, port, security, user,
                password.isEmpty() ? Optional.empty() : Optional.of(Secret.of(password)), address(MAIL_FROM,
                "smtp-assistant@example.com"), recipient));
    }

    /** The signed webhook, when {@code SMTP_ASSISTANT_WEBHOOK_URL} is set (then the secret is required). */
    public Optional<WebhookChannel.Settings> webhook() {
        if (value(WEBHOOK_URL).isEmpty()) {
            if (!value(WEBHOOK_SECRET).isEmpty()) {
                throw new ConfigException(WEBHOOK_SECRET + " is set, but " + WEBHOOK_URL + " is not: set where the events go,"
                        + " e.g. " + WEBHOOK_URL + "=https://hooks.example.com/smtp-assistant");
            }
            return Optional.empty();
        }
        URI url = httpsUrl(WEBHOOK_URL, "https://hooks.example.com/smtp-assistant");
        String secret = value(WEBHOOK_SECRET);
        if (secret.length() < MIN_SECRET) {
            throw new ConfigException(WEBHOOK_SECRET + (secret.isEmpty() ? " is missing" : " is too short (" + secret.length()
                    + " characters)") + ": the webhook's events are signed with it; set a random string of at least "
                    + MIN_SECRET + " characters, e.g. from 'openssl rand -hex 32'");
        }
        return Optional.of(new WebhookChannel.Settings(url, Secret.of(secret)));
    }

    /**
     * The helpdesk channels this configuration asks for (Zendesk, e-mail, webhook), in that order;
     * their evidence is written in English with the knowledge's texts.
     */
    public List<SupportChannel> helpdeskChannels(io.smtpassistant.knowledge.Knowledge knowledge, Clock clock) {
        Evidence evidence = new Evidence(knowledge, Locale.ENGLISH);
        List<SupportChannel> out = new java.util.ArrayList<>();
        zendesk().ifPresent(z -> out.add(new ZendeskChannel(z, evidence, clock, CHANNEL_TIMEOUT)));
        zendeskWebhookSecret();
        supportEmail().ifPresent(m -> out.add(new EmailChannel(m, evidence, CHANNEL_TIMEOUT)));
        webhook().ifPresent(w -> out.add(new WebhookChannel(w, evidence, clock, CHANNEL_TIMEOUT)));
        return List.copyOf(out);
    }

    private String value(String key) {
        String v = values.get(key);
        return v == null ? "" : v.strip();
    }

    /** An https URL, or http to this machine (tests, a local bridge). */
    private URI httpsUrl(String key, String example) {
        String v = value(key);
        URI uri;
        try {
            uri = new URI(v);
        } catch (URISyntaxException e) {
            throw new ConfigException(key + "=" + shown(v) + ": not a URL; write e.g. " + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw new ConfigException(key + "=" + shown(v) + ": write a URL with a host and no user or #fragment, e.g. " + example);
        }
        if (scheme.equals("https") || (scheme.equals("http") && loopback(uri.getHost()))) {
            return uri;
        }
        throw new ConfigException(key + "=" + shown(v) + ": must start with https:// (http:// only to this machine), e.g. "
                + example);
    }

    private InternetAddress address(String key, String example) {
        String v = value(key);
        if (!Inputs.email(v).isOk()) {
            throw new ConfigException(key + "=" + shown(v) + ": write one e-mail address, e.g. " + example);
        }
        try {
            InternetAddress a = new InternetAddress(v, true);
            a.validate();
            return a;
        } catch (AddressException e) {
            throw new ConfigException(key + "=" + shown(v) + ": write one e-mail address, e.g. " + example);
        }
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /** A value as an error message quotes it: at most 60 characters, control characters visible. */
    private static String shown(String v) {
        String s = Evidence.visible(v).replace("\n", " ");
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    /**
     * The Redis that instances share ({@link #REDIS_URL}), or empty when unset (everything in process).
     *
     * @throws ConfigException when the value is not {@code redis://host[:port][/db]} (or {@code rediss://})
     */
    public Optional<String> redisUrl() {
        String v = values.get(REDIS_URL);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        String url = v.strip();
        Matcher m = REDIS.matcher(url);
        boolean ok = m.matches();
        if (ok && m.group(2) != null) {
            int port = Integer.parseInt(m.group(2));
            ok = port >= 1 && port <= 65535;
        }
        if (!ok) {
            throw new ConfigException(REDIS_URL + "=" + shown(redisShown(url)) + ": write redis://host:port/db, e.g."
                    + " redis://127.0.0.1:6379/0 (rediss:// for TLS, redis://:password@host:6379/0 with a password), or unset it"
                    + " to keep everything in this one instance");
        }
        return Optional.of(url);
    }

    /** A Redis URL fit for messages and logs: the user and password, if any, are left out. */
    public static String redisShown(String url) {
        return url.replaceFirst("^(rediss?://)[^@/]*@", "$1");
    }

    /** A configuration value is wrong; the message names the key and the expected form. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
