package io.smtpassistant.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.AppProcess;
import io.smtpassistant.testkit.Misbehavior;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.ScriptedSmtpServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Harness, not a test: two real app processes (Slack in HTTP mode) against one fake Slack Web API in
 * this JVM, as they are deployed behind a load balancer. Two measurements:
 * <ul>
 *   <li>{@code turns}: turn latency with N concurrent conversations (default 200): each types
 *       {@code help} T times (default 10); a turn is timed from sending the signed event to the Web
 *       API receiving the turn's last reply. In {@code embedded} mode each instance keeps its own H2
 *       file and a user always reaches the same instance (sticky routing, the only way to run two
 *       embedded instances); in {@code redis} mode they share Redis and PostgreSQL and requests go
 *       round robin, so consecutive turns of a conversation land on different instances.</li>
 *   <li>{@code acks}: Slack ack latency with C live checks in flight (default 500, against a server
 *       that accepts and never answers), spread over both instances: M signed DM events from new
 *       users (default 1000), one at a time, alternating instances, request sent to response read.</li>
 * </ul>
 * The app's class path comes from {@code -Dapp.classpath=…} (see docs/benchmarks.md). Redis mode uses
 * Redis database 6 at 127.0.0.1:6379 (flushed) and a fresh schema in PostgreSQL 127.0.0.1:5432/test.
 */
public final class TwoInstancesHarness {

    static final String SECRET = "bench-signing-secret";
    /** How long the harness waits for a reply, a button or a modal (generous: a loaded machine is slow, not wrong). */
    static final int WAIT_SECONDS = 180;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final FakeWebApi api;
    private final AppProcess[] apps;
    private final boolean roundRobin;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    /**
     * At most this many requests open at once, as a load balancer's connection pool keeps it: the app's
     * HTTP server accepts a backlog of 128, and a burst of hundreds of new connections is reset.
     */
    private final java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(64);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000_000L);

    private TwoInstancesHarness(FakeWebApi api, AppProcess[] apps, boolean roundRobin) {
        this.api = api;
        this.apps = apps;
        this.roundRobin = roundRobin;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "embedded";
        String scenario = args.length > 1 ? args[1] : "turns";
        int n = args.length > 2 ? Integer.parseInt(args[2]) : "turns".equals(scenario) ? 200 : 500;
        int m = args.length > 3 ? Integer.parseInt(args[3]) : "turns".equals(scenario) ? 10 : 1000;
        String cp = System.getProperty("app.classpath");
        if (cp == null || cp.isBlank()) {
            throw new IllegalArgumentException("set -Dapp.classpath to the app's class path (see docs/benchmarks.md)");
        }
        boolean redis = switch (mode) {
            case "redis" -> true;
            case "embedded" -> false;
            default -> throw new IllegalArgumentException("mode is embedded or redis, not " + mode);
        };
        Path work = Files.createTempDirectory("two-instances-bench");
        String schema = "bench_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (FakeWebApi api = new FakeWebApi();
             ScriptedSmtpServer tarpit = ScriptedSmtpServer.builder().behavior(Misbehavior.SILENT).start()) {
            Map<String, String> env = new HashMap<>(Map.of("SLACK_BOT_TOKEN", "xoxb-bench", "SLACK_SIGNING_SECRET", SECRET,
                    "SLACK_API_URL", api.server.baseUrl() + "/api/", "SMTP_ASSISTANT_HTTP_PORT", "0", "SMTP_ASSISTANT_HTTP_BIND", "127.0.0.1",
                    "SMTP_ASSISTANT_ALLOW_PRIVATE_TARGETS", "true", "SMTP_ASSISTANT_ALLOWED_PORTS", "any",
                    "SMTP_ASSISTANT_CHECK_TIMEOUT", "120s"));
            if (redis) {
                flushRedis(6);
                try (Connection c = DriverManager.getConnection(PG)) {
                    c.createStatement().execute("CREATE SCHEMA " + schema);
                }
                env.put("REDIS_URL", "redis://127.0.0.1:6379/6");
                env.put("DATABASE_URL", PG + "&currentSchema=" + schema);
            }
            AppProcess[] apps = new AppProcess[2];
            for (int i = 0; i < 2; i++) {
                Map<String, String> own = new HashMap<>(env);
                own.put("SMTP_ASSISTANT_DATA_DIR", work.resolve("data-" + i).toString());
                apps[i] = AppProcess.start("app-" + i, "io.smtpassistant.app.Main", cp, List.of("-Xmx512m"), own, work, Duration.ofMinutes(3));
            }
            try {
                TwoInstancesHarness h = new TwoInstancesHarness(api, apps, redis);
                System.out.printf(Locale.ROOT, "mode %s, scenario %s, %d cores, load average at start %.2f%n", mode, scenario,
                        Runtime.getRuntime().availableProcessors(), loadAverage());
                if ("turns".equals(scenario)) {
                    h.turns(n, m);
                } else {
                    h.acks(n, m, tarpit);
                }
                System.out.printf(Locale.ROOT, "load average at end %.2f%n", loadAverage());
            } finally {
                for (AppProcess p : apps) {
                    p.close();
                }
                if (redis) {
                    try (Connection c = DriverManager.getConnection(PG)) {
                        c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ turns

    private void turns(int conversations, int turnsEach) throws Exception {
        // how many Web API calls to the DM make up a greeting and a help turn (learned from one conversation)
        int greeting = calibrate("UCAL", "hello", 0);
        int help = calibrate("UCAL", "help", greeting) - greeting;
        System.out.printf(Locale.ROOT, "a greeting is %d calls, a help turn %d%n", greeting, help);
        for (int round = 0; round < 2; round++) { // round 0 warms both JVMs up
            String prefix = round == 0 ? "UW" : "UT";
            long[] samples = new long[conversations * turnsEach];
            AtomicInteger filled = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < conversations; i++) {
                    String user = prefix + i;
                    all.add(pool.submit(() -> {
                        dm(user, "hello");
                        api.awaitCalls(user, greeting);
                        for (int t = 1; t <= turnsEach; t++) {
                            long t0 = System.nanoTime();
                            dm(user, "help");
                            api.awaitCalls(user, greeting + t * help);
                            samples[filled.getAndIncrement()] = System.nanoTime() - t0;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : all) {
                    f.get();
                }
            }
            if (round == 1) {
                report("turn latency (" + conversations + " conversations x " + turnsEach + " turns, "
                        + (roundRobin ? "round robin" : "sticky") + ")", samples, System.nanoTime() - start);
            }
        }
    }

    /** Sends {@code text} as {@code user}, waits until no call to the DM came for a second; the count then. */
    private int calibrate(String user, String text, int before) throws Exception {
        dm(user, text);
        api.awaitCalls(user, before + 1);
        int seen = api.calls(user).size();
        while (true) {
            TimeUnit.SECONDS.sleep(1);
            int now = api.calls(user).size();
            if (now == seen) {
                return now;
            }
            seen = now;
        }
    }

    // ------------------------------------------------------------------------------------ acks

    private void acks(int checks, int samples, ScriptedSmtpServer tarpit) throws Exception {
        java.util.concurrent.Semaphore preparing = new java.util.concurrent.Semaphore(50);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < checks; i++) {
                String user = "UC" + i;
                all.add(pool.submit(() -> {
                    preparing.acquire(); // 50 at a time: preparing is not measured, and a flood only slows it down
                    try {
                        toSettingsForm(user);
                    } finally {
                        preparing.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            for (int i = 0; i < 100; i++) {
                ack("UW" + i); // warm-up
            }
            all.clear();
            for (int i = 0; i < checks; i++) {
                String user = "UC" + i;
                all.add(pool.submit(() -> {
                    submitForm(user, lastTrigger.get(user), Map.of("host", "127.0.0.1", "port", String.valueOf(tarpit.port()), "security", "none",
                            "username", ""), Map.of("security", "none"));
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            if (!tarpit.awaitConnections(checks, Duration.ofSeconds(60))) {
                throw new IllegalStateException("only " + tarpit.openConnections() + " of " + checks + " checks reached the server");
            }
            System.out.printf(Locale.ROOT, "%d checks in flight (open connections at the server: %d)%n", checks, tarpit.openConnections());
            long[] times = new long[samples];
            long start = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                times[i] = ack("UA" + i);
            }
            report("Slack ack latency (" + samples + " DM events from new users, alternating instances, "
                    + tarpit.openConnections() + " checks still connected at the end)", times, System.nanoTime() - start);
        }
    }

    private long ack(String user) throws Exception {
        long t0 = System.nanoTime();
        int status = dm(user, "hello");
        long t = System.nanoTime() - t0;
        if (status != 200) {
            throw new IllegalStateException("the app answered " + status);
        }
        return t;
    }

    /** Greeting, set up, own password, sender, settings by hand, not shared: up to the settings form. */
    private void toSettingsForm(String user) throws Exception {
        dm(user, "hello");
        click(user, "Set up our mailbox");
        String trigger = click(user, "A mailbox with its own password");
        submitForm(user, trigger, Map.of("sender", "anna@gmx.de"), Map.of());
        click(user, "No, I'll enter");
        lastTrigger.put(user, click(user, "No, it is one"));
    }

    /** Per user, the trigger of the last click (the app may open the next form on it). */
    private final Map<String, String> lastTrigger = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------------------------ Slack's side

    private int port(String user) {
        return roundRobin ? apps[Math.floorMod(next.getAndIncrement(), apps.length)].port()
                : apps[Math.floorMod(user.hashCode(), apps.length)].port();
    }

    private int dm(String user, String text) throws Exception {
        String event = "{\"type\":\"message\",\"channel\":\"D" + user + "\",\"channel_type\":\"im\",\"user\":\"" + user + "\",\"text\":"
                + JSON.writeValueAsString(text) + ",\"ts\":\"" + nextTs() + "\"}";
        String body = "{\"token\":\"x\",\"team_id\":\"T1\",\"api_app_id\":\"A1\",\"type\":\"event_callback\",\"event_id\":\"Ev"
                + ts.incrementAndGet() + "\",\"event_time\":1700000000,\"event\":" + event + "}";
        return post(port(user), body, "application/json");
    }

    /** Clicks the newest unclicked button labelled {@code labelStart}; the click's trigger id. */
    private String click(String user, String labelStart) throws Exception {
        return press(user, api.awaitButton(user, labelStart, false));
    }

    private String press(String user, Button b) throws Exception {
        String trigger = "trig-" + user + "-" + ts.incrementAndGet();
        ObjectNode p = JSON.createObjectNode().put("type", "block_actions").put("api_app_id", "A1").put("token", "x")
                .put("trigger_id", trigger).put("response_url", api.server.baseUrl() + "/response");
        p.putObject("team").put("id", "T1").put("domain", "t");
        p.putObject("user").put("id", user).put("name", "u").put("team_id", "T1");
        p.putObject("container").put("type", "message").put("message_ts", b.ts()).put("channel_id", "D" + user).put("is_ephemeral", false);
        p.putObject("channel").put("id", "D" + user).put("name", "c");
        ObjectNode action = p.putArray("actions").addObject().put("action_id", b.actionId()).put("block_id", b.blockId())
                .put("value", b.value()).put("type", "button").put("action_ts", "1");
        action.putObject("text").put("type", "plain_text").put("text", "x");
        api.clicked(user, b);
        post(port(user), "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        return trigger;
    }

    /**
     * Submits the form the app showed next: the modal it opened on {@code trigger} (the last click), or
     * the one its form button opens; with {@code texts} and {@code selects} over the fields' initial values.
     */
    private void submitForm(String user, String trigger, Map<String, String> texts, Map<String, String> selects) throws Exception {
        JsonNode view = api.modalOrFormButton(user, trigger);
        if (view == null) {
            String opened = press(user, api.awaitButton(user, "form:open", true));
            view = api.awaitModal(opened);
        }
        ObjectNode values = JSON.createObjectNode();
        for (JsonNode block : view.path("blocks")) {
            String id = block.path("block_id").asText();
            if (!"input".equals(block.path("type").asText())) {
                continue;
            }
            boolean select = "static_select".equals(block.path("element").path("type").asText());
            String v = select ? selects.getOrDefault(id, block.path("element").path("initial_option").path("value").asText(null))
                    : texts.getOrDefault(id, block.path("element").path("initial_value").asText(null));
            if (v == null) {
                continue;
            }
            ObjectNode field = values.putObject(id).putObject(id);
            if (select) {
                field.put("type", "static_select").putObject("selected_option").put("value", v).putObject("text").put("type", "plain_text")
                        .put("text", "x");
            } else {
                field.put("type", "plain_text_input").put("value", v);
            }
        }
        ObjectNode s = JSON.createObjectNode().put("type", "view_submission").put("api_app_id", "A1").put("token", "x").put("trigger_id", "t9");
        s.putObject("team").put("id", "T1").put("domain", "t");
        s.putObject("user").put("id", user).put("name", "u").put("team_id", "T1");
        ObjectNode v = s.putObject("view").put("id", "V1").put("team_id", "T1").put("type", "modal")
                .put("callback_id", view.path("callback_id").asText()).put("private_metadata", view.path("private_metadata").asText())
                .put("hash", "h");
        v.putObject("state").set("values", values);
        post(port(user), "payload=" + URLEncoder.encode(JSON.writeValueAsString(s), StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
    }

    private int post(int port, String body, String contentType) throws Exception {
        String timestamp = String.valueOf(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "v0=" + HexFormat.of().formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).header("X-Slack-Request-Timestamp", timestamp).header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        connections.acquire();
        int status;
        try {
            status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } finally {
            connections.release();
        }
        if (status != 200) {
            throw new IllegalStateException("the app at port " + port + " answered " + status);
        }
        return status;
    }

    private String nextTs() {
        long v = ts.incrementAndGet();
        return (v / 1_000_000) + "." + String.format(Locale.ROOT, "%06d", v % 1_000_000);
    }

    // ------------------------------------------------------------------------------------ numbers

    static void report(String what, long[] nanos, long wallNanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s: n=%d p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, in %.1f s%n", what, s.length,
                ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)), ms(s[s.length - 1]), wallNanos / 1e9);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void flushRedis(int db) throws Exception {
        try (Socket s = new Socket("127.0.0.1", 6379)) {
            OutputStream out = s.getOutputStream();
            out.write(("SELECT " + db + "\r\nFLUSHDB\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String replies = new String(s.getInputStream().readNBytes(10), StandardCharsets.US_ASCII);
            if (!"+OK\r\n+OK\r\n".equals(replies)) {
                throw new IllegalStateException("Redis answered " + replies);
            }
        }
    }

    // ------------------------------------------------------------------------------------ the fake Web API

    /** A button of a message the app posted or updated in a DM: what a click sends back. */
    record Button(String ts, String actionId, String blockId, String value, String label) {
    }

    /**
     * Slack's Web API for the app processes: answers what the app calls, and keeps per user the calls
     * to that user's DM (as JSON params) and the modals opened, so the harness can wait for replies,
     * find buttons and read forms without scanning every call.
     */
    static final class FakeWebApi implements AutoCloseable {
        final RecordingHttpServer server;
        private final AtomicLong ts = new AtomicLong(1_600_000_000_000_000L);
        private final Map<String, List<Map<String, String>>> dms = new ConcurrentHashMap<>();
        private final Map<String, JsonNode> modals = new ConcurrentHashMap<>();
        private final Map<String, Button> used = new ConcurrentHashMap<>();

        FakeWebApi() throws Exception {
            server = RecordingHttpServer.start(this::answer);
        }

        private RecordingHttpServer.Response answer(Recorded r) {
            String method = r.path().substring(r.path().lastIndexOf('/') + 1);
            Map<String, String> p = Recorded.form(r.body());
            String channel = p.getOrDefault("channel", "");
            return RecordingHttpServer.Response.json(switch (method) {
                case "auth.test" -> "{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"T\",\"user\":\"bot\",\"team_id\":\"T1\","
                        + "\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\"}";
                case "chat.postMessage", "chat.update", "chat.postEphemeral" -> {
                    String t = "chat.update".equals(method) ? p.get("ts") : next();
                    Map<String, String> call = new HashMap<>(p);
                    call.put("ts", t);
                    if (channel.startsWith("D")) {
                        List<Map<String, String>> calls = calls(channel.substring(1));
                        synchronized (calls) {
                            calls.add(call);
                            calls.notifyAll();
                        }
                    }
                    yield "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + t + "\",\"message_ts\":\"" + t + "\"}";
                }
                case "views.open" -> {
                    try {
                        modals.put(p.get("trigger_id"), JSON.readTree(p.get("view")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    synchronized (modals) {
                        modals.notifyAll();
                    }
                    yield "{\"ok\":true,\"view\":{\"id\":\"V1\"}}";
                }
                case "users.info" -> "{\"ok\":true,\"user\":{\"id\":\"" + p.get("user") + "\",\"name\":\"n\",\"real_name\":\"Real\","
                        + "\"locale\":\"en-US\",\"profile\":{\"display_name\":\"Name\",\"email\":\"u@example.com\"}}}";
                case "conversations.open" -> "{\"ok\":true,\"channel\":{\"id\":\"D" + p.get("users") + "\"}}";
                default -> "{\"ok\":true}";
            });
        }

        private String next() {
            long v = ts.incrementAndGet();
            return (v / 1_000_000) + "." + String.format(Locale.ROOT, "%06d", v % 1_000_000);
        }

        List<Map<String, String>> calls(String user) {
            return dms.computeIfAbsent(user, u -> new ArrayList<>());
        }

        /** Waits (up to 60 s) until the user's DM had {@code count} calls. */
        void awaitCalls(String user, int count) throws InterruptedException {
            List<Map<String, String>> calls = calls(user);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            synchronized (calls) {
                while (calls.size() < count) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(user + ": " + calls.size() + " of " + count + " calls to the DM after " + WAIT_SECONDS + " s");
                    }
                    TimeUnit.NANOSECONDS.timedWait(calls, left);
                }
            }
        }

        /**
         * The newest button in the user's DM whose label starts with {@code labelStart} (or, with
         * {@code byActionId}, whose action id is it) and that was not clicked yet; waits up to 60 s.
         */
        Button awaitButton(String user, String labelStart, boolean byActionId) throws Exception {
            List<Map<String, String>> calls = calls(user);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            synchronized (calls) {
                while (true) {
                    Button b = findButton(user, labelStart, byActionId);
                    if (b != null) {
                        return b;
                    }
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(user + ": no button '" + labelStart + "' after " + WAIT_SECONDS + " s");
                    }
                    TimeUnit.NANOSECONDS.timedWait(calls, left);
                }
            }
        }

        private Button findButton(String user, String labelStart, boolean byActionId) throws Exception {
            List<Map<String, String>> calls = calls(user);
            synchronized (calls) {
                for (int i = calls.size() - 1; i >= 0; i--) {
                    String blocks = calls.get(i).get("blocks");
                    if (blocks == null) {
                        continue;
                    }
                    for (JsonNode b : JSON.readTree(blocks)) {
                        for (JsonNode e : b.path("elements")) {
                            String label = e.path("text").path("text").asText();
                            boolean match = byActionId ? labelStart.equals(e.path("action_id").asText()) : label.startsWith(labelStart);
                            Button button = new Button(calls.get(i).get("ts"), e.path("action_id").asText(), b.path("block_id").asText(),
                                    e.path("value").asText(), label);
                            if ("button".equals(e.path("type").asText()) && match && !used.containsKey(user + button)) {
                                return button;
                            }
                        }
                    }
                }
                return null;
            }
        }

        /** The modal opened on {@code trigger}, or null once a form button appeared in the DM instead; waits up to 60 s. */
        JsonNode modalOrFormButton(String user, String trigger) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < end) {
                JsonNode view = modals.get(trigger);
                if (view != null) {
                    return view;
                }
                if (findButton(user, "form:open", true) != null) {
                    return null;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new IllegalStateException(user + ": neither a modal on " + trigger + " nor a form button after " + WAIT_SECONDS + " s");
        }

        void clicked(String user, Button b) {
            used.put(user + b, b);
        }

        JsonNode awaitModal(String trigger) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            synchronized (modals) {
                while (!modals.containsKey(trigger)) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("no modal opened on " + trigger + " after " + WAIT_SECONDS + " s");
                    }
                    TimeUnit.NANOSECONDS.timedWait(modals, left);
                }
                return modals.get(trigger);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
