package io.smtpassistant.app.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.server.ServerMode;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Slack for the end-to-end tests, both ways: a local recording server plays the Web API (answering
 * auth.test, chat.*, views.*, users.info with a locale, conversations.*), and signed Events API,
 * slash command and interactivity requests are POSTed to the app's real HTTP server. Runs the whole
 * app (ChatServices + ServerMode + SlackModule) with the configuration from the environment map.
 */
final class FakeSlack implements AutoCloseable {

    static final String SECRET = "test-signing-secret";
    static final String TEAM = "T0TEAM";
    static final String BOT_USER = "UBOT";
    static final ObjectMapper JSON = new ObjectMapper();

    final RecordingHttpServer api;
    private final ChatServices services;
    private final ServerMode server;
    /** Without an app in this JVM: the ports of the app processes that inbound requests go to, in turn. */
    private volatile int[] targets = new int[0];
    private final AtomicInteger nextTarget = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong ts = new AtomicLong(1_700_000_000_000_100L);
    private final AtomicInteger events = new AtomicInteger();
    /** Every ts the fake handed out for a posted message, with the channel it went to. */
    private final Map<String, Recorded> posted = new LinkedHashMap<>();
    private final Map<String, String> locales = new HashMap<>();
    volatile List<String> supportMembers = List.of("UAGENT");
    private final String supportChannel;
    /** What apps.connections.open answers (Socket Mode tests set it before starting). */
    static volatile String socketUrl = "ws://127.0.0.1:1/";

    /** Whether the bot is a member of the support channel (conversations.info, chat.postMessage answer so). */
    private final boolean botInSupportChannel;

    FakeSlack(Map<String, String> env) throws Exception {
        this(env, true);
    }

    /** With {@code botInSupportChannel} false, posts to {@code SLACK_SUPPORT_CHANNEL} answer {@code not_in_channel}. */
    FakeSlack(Map<String, String> env, boolean botInSupportChannel) throws Exception {
        this(env, botInSupportChannel, true);
    }

    private FakeSlack(Map<String, String> env, boolean botInSupportChannel, boolean inProcess) throws Exception {
        this.botInSupportChannel = botInSupportChannel;
        this.supportChannel = env.getOrDefault("SLACK_SUPPORT_CHANNEL", "");
        this.api = RecordingHttpServer.start(this::answer);
        if (!inProcess) {
            this.services = null;
            this.server = null;
            return;
        }
        AppConfig config = AppConfig.load(appEnv(env));
        this.services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
        this.server = new ServerMode().start(config, services, "127.0.0.1");
    }

    /**
     * Only the fake Web API, for an app that runs elsewhere (a child process started with
     * {@link #appEnv}); inbound requests go to the port given to {@link #target}.
     */
    static FakeSlack apiOnly() throws Exception {
        return new FakeSlack(Map.of(), true, false);
    }

    /** Where inbound requests go when the app runs elsewhere. */
    void target(int port) {
        targets(port);
    }

    /** Inbound requests go to these ports in turn, one request each (a load balancer's round robin). */
    void targets(int... ports) {
        this.targets = ports.clone();
    }

    /** {@code env} plus what makes the app talk to this fake: the bot token, the signing secret, the Web API URL. */
    Map<String, String> appEnv(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("SLACK_BOT_TOKEN", "xoxb-test");
        all.putIfAbsent("SLACK_SIGNING_SECRET", SECRET);
        all.put("SLACK_API_URL", api.baseUrl() + "/api/");
        all.putIfAbsent("SMTP_ASSISTANT_HTTP_PORT", "0");
        return all;
    }

    void locale(String user, String locale) {
        locales.put(user, locale);
    }

    private RecordingHttpServer.Response answer(Recorded r) {
        String method = r.path().substring(r.path().lastIndexOf('/') + 1);
        Map<String, String> p = form(r.body());
        return RecordingHttpServer.Response.json(switch (method) {
            case "auth.test" -> "{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"T\",\"user\":\"bot\",\"team_id\":\"" + TEAM
                    + "\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"BBOT\"}";
            case "chat.postMessage" -> {
                if (!botInSupportChannel && supportChannel.equals(p.get("channel"))) {
                    yield "{\"ok\":false,\"error\":\"not_in_channel\"}";
                }
                String t = nextTs();
                synchronized (posted) {
                    posted.put(t, r);
                    posted.notifyAll();
                }
                yield "{\"ok\":true,\"channel\":\"" + p.get("channel") + "\",\"ts\":\"" + t + "\"}";
            }
            case "chat.update" -> "{\"ok\":true,\"channel\":\"" + p.get("channel") + "\",\"ts\":\"" + p.get("ts") + "\"}";
            case "chat.postEphemeral" -> "{\"ok\":true,\"message_ts\":\"" + nextTs() + "\"}";
            case "views.open", "views.publish" -> "{\"ok\":true,\"view\":{\"id\":\"V1\"}}";
            case "users.info" -> "{\"ok\":true,\"user\":{\"id\":\"" + p.get("user") + "\",\"name\":\"n" + p.get("user")
                    + "\",\"real_name\":\"Real " + p.get("user") + "\",\"locale\":\"" + locales.getOrDefault(p.get("user"), "en-US")
                    + "\",\"profile\":{\"display_name\":\"Name-" + p.get("user") + "\",\"email\":\"" + p.get("user").toLowerCase(java.util.Locale.ROOT)
                    + "@example.com\"}}}";
            case "conversations.info" -> "{\"ok\":true,\"channel\":{\"id\":\"" + p.get("channel") + "\",\"is_channel\":true,\"is_member\":"
                    + (botInSupportChannel || !supportChannel.equals(p.get("channel"))) + "}}";
            case "conversations.open" -> "{\"ok\":true,\"channel\":{\"id\":\"D" + p.get("users") + "\"}}";
            case "conversations.members" -> "{\"ok\":true,\"members\":" + toJson(supportMembers) + ",\"response_metadata\":{\"next_cursor\":\"\"}}";
            case "apps.connections.open" -> "{\"ok\":true,\"url\":\"" + socketUrl + "\"}";
            case "usergroups.users.list" -> "{\"ok\":true,\"users\":[]}";
            default -> "{\"ok\":true}";
        });
    }

    private String nextTs() {
        long v = ts.incrementAndGet();
        return (v / 1_000_000) + "." + String.format("%06d", v % 1_000_000);
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The form parameters of a Web API call (Slack's client posts form-encoded bodies). */
    static Map<String, String> form(String body) {
        return Recorded.form(body);
    }

    /** The decoded text and blocks of a Web API call, for matching. */
    static String content(Recorded r) {
        Map<String, String> p = form(r.body());
        if (p.isEmpty()) {
            return r.body();
        }
        StringBuilder b = new StringBuilder();
        for (String v : p.values()) {
            b.append(v).append("\n");
            if (v.startsWith("[") || v.startsWith("{")) {
                try {
                    leaves(JSON.readTree(v), b); // Gson escapes ' < > = in JSON; the decoded texts are what users see
                } catch (IOException e) {
                    // not JSON after all
                }
            }
        }
        return b.toString();
    }

    private static void leaves(JsonNode n, StringBuilder b) {
        if (n.isValueNode()) {
            b.append(n.asText()).append("\n");
        }
        n.forEach(c -> leaves(c, b));
    }

    /** Waits for a call to {@code method} whose decoded content matches. */
    Recorded await(String method, Predicate<Recorded> match) throws InterruptedException {
        Recorded r = api.await(x -> x.path().endsWith("/" + method) && match.test(x), Duration.ofSeconds(20));
        if (r == null) {
            throw new AssertionError("no " + method + " call matched; calls so far:\n" + describe());
        }
        return r;
    }

    Recorded awaitContaining(String method, String text) throws InterruptedException {
        return await(method, x -> content(x).contains(text));
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (Recorded r : api.requests()) {
            b.append(r.path()).append(" ").append(form(r.body()).getOrDefault("channel", "")).append(" ")
                    .append(form(r.body()).getOrDefault("text", "")).append("\n");
        }
        return b.toString();
    }

    /** The ts the fake gave the first message posted to {@code channel} whose content matches. */
    String tsOf(String channel, String contains) throws InterruptedException {
        return tsOf(await("chat.postMessage", x -> channel.equals(form(x.body()).get("channel")) && content(x).contains(contains)));
    }

    /** The ts the fake gave a posted message. */
    String tsOf(Recorded r) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (posted) {
            while (true) {
                for (Map.Entry<String, Recorded> e : posted.entrySet()) {
                    if (e.getValue() == r) {
                        return e.getKey();
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no ts for " + r);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(posted, left);
            }
        }
    }

    /** A button of a posted message: its value, found by the start of its label. */
    static String buttonValue(Recorded message, String labelStart) throws IOException {
        JsonNode blocks = JSON.readTree(form(message.body()).get("blocks"));
        for (JsonNode b : blocks) {
            for (JsonNode e : b.path("elements")) {
                if ("button".equals(e.path("type").asText()) && e.path("text").path("text").asText().startsWith(labelStart)) {
                    return e.path("action_id").asText() + "\n" + e.path("value").asText() + "\n" + b.path("block_id").asText();
                }
            }
        }
        throw new AssertionError("no button '" + labelStart + "' in " + blocks);
    }

    // ------------------------------------------------------------------------------------ inbound

    record Answer(int status, String body) {
    }

    Answer event(String eventJson) throws Exception {
        return event(nextEventId(), eventJson, Map.of());
    }

    Answer event(String eventId, String eventJson, Map<String, String> headers) throws Exception {
        return eventTo(port(), eventId, eventJson, headers);
    }

    Answer dm(String user, String text) throws Exception {
        return event(dmEvent(user, text));
    }

    /** The {@code message.im} event of {@code user} writing {@code text} in the DM with the bot. */
    String dmEvent(String user, String text) {
        return "{\"type\":\"message\",\"channel\":\"D" + user + "\",\"channel_type\":\"im\",\"user\":\"" + user
                + "\",\"text\":" + toJson(text) + ",\"ts\":\"" + nextTs() + "\"}";
    }

    /** Delivers an Events API event to the app at {@code port}, whatever the round robin says. */
    Answer eventTo(int port, String eventId, String eventJson, Map<String, String> headers) throws Exception {
        String body = "{\"token\":\"x\",\"team_id\":\"" + TEAM + "\",\"api_app_id\":\"A1\",\"type\":\"event_callback\",\"event_id\":\""
                + eventId + "\",\"event_time\":1700000000,\"event\":" + eventJson + "}";
        return postTo(port, body, "application/json", headers, Instant.now().getEpochSecond(), SECRET);
    }

    /** A fresh event id. */
    String nextEventId() {
        return "Ev" + events.incrementAndGet();
    }

    Answer threadReply(String user, String channel, String threadTs, String text) throws Exception {
        return event("{\"type\":\"message\",\"channel\":\"" + channel + "\",\"channel_type\":\"channel\",\"user\":\"" + user
                + "\",\"text\":" + toJson(text) + ",\"ts\":\"" + nextTs() + "\",\"thread_ts\":\"" + threadTs + "\"}");
    }

    Answer slashCommand(String user, String channel, String text, String triggerId) throws Exception {
        return post(slashBody(user, channel, text, triggerId), "application/x-www-form-urlencoded", Map.of(), Instant.now().getEpochSecond(), SECRET);
    }

    String slashBody(String user, String channel, String text, String triggerId) {
        return "token=x&team_id=" + TEAM + "&team_domain=t&channel_id=" + channel + "&channel_name=general&user_id=" + user
                + "&user_name=u&command=" + enc("/smtp-help") + "&text=" + enc(text) + "&api_app_id=A1&response_url="
                + enc(api.baseUrl() + "/response") + "&trigger_id=" + triggerId;
    }

    /** Clicks a button found with {@link #buttonValue} in a message of {@code channel}. */
    Answer click(String user, String channel, String button, String messageTs, String triggerId) throws Exception {
        String[] b = button.split("\n", 3);
        String payload = "{\"type\":\"block_actions\",\"team\":{\"id\":\"" + TEAM + "\",\"domain\":\"t\"},\"user\":{\"id\":\"" + user
                + "\",\"name\":\"u\",\"team_id\":\"" + TEAM + "\"},\"api_app_id\":\"A1\",\"token\":\"x\",\"container\":{\"type\":\"message\","
                + "\"message_ts\":\"" + messageTs + "\",\"channel_id\":\"" + channel + "\",\"is_ephemeral\":false},\"trigger_id\":\""
                + triggerId + "\",\"channel\":{\"id\":\"" + channel + "\",\"name\":\"c\"},\"response_url\":\"" + api.baseUrl()
                + "/response\",\"actions\":[{\"action_id\":\"" + b[0] + "\",\"block_id\":\"" + b[2]
                + "\",\"text\":{\"type\":\"plain_text\",\"text\":\"x\"},\"value\":\"" + b[1] + "\",\"type\":\"button\",\"action_ts\":\"1\"}]}";
        return interactive(payload);
    }

    /**
     * Clicks the button whose label starts with {@code labelStart} in a message the app posted, as
     * Slack does: the payload carries the message (its ts, text and blocks) and the button's label.
     */
    Answer clickIn(String user, Recorded message, String labelStart, String triggerId) throws Exception {
        Map<String, String> posted = form(message.body());
        String channel = posted.get("channel");
        String ts = tsOf(message);
        JsonNode blocks = JSON.readTree(posted.get("blocks"));
        com.fasterxml.jackson.databind.node.ObjectNode button = null;
        String blockId = null;
        for (JsonNode b : blocks) {
            for (JsonNode e : b.path("elements")) {
                if (button == null && "button".equals(e.path("type").asText()) && e.path("text").path("text").asText().startsWith(labelStart)) {
                    button = e.deepCopy();
                    blockId = b.path("block_id").asText();
                }
            }
        }
        if (button == null) {
            throw new AssertionError("no button '" + labelStart + "' in " + blocks);
        }
        button.put("block_id", blockId).put("action_ts", "1");
        var payload = JSON.createObjectNode().put("type", "block_actions");
        payload.putObject("team").put("id", TEAM).put("domain", "t");
        payload.putObject("user").put("id", user).put("name", "u").put("team_id", TEAM);
        payload.put("api_app_id", "A1").put("token", "x").put("trigger_id", triggerId)
                .put("response_url", api.baseUrl() + "/response");
        payload.putObject("container").put("type", "message").put("message_ts", ts).put("channel_id", channel).put("is_ephemeral", false);
        payload.putObject("channel").put("id", channel).put("name", "c");
        var m = payload.putObject("message").put("type", "message").put("user", BOT_USER).put("bot_id", "BBOT").put("ts", ts)
                .put("text", posted.getOrDefault("text", ""));
        m.set("blocks", blocks);
        payload.putArray("actions").add(button);
        return interactive(JSON.writeValueAsString(payload));
    }

    /** Submits a modal with the given values; {@code selects} are static_select fields. */
    Answer submitModal(String user, String callbackId, String metadata, Map<String, String> texts, Map<String, String> selects)
            throws Exception {
        return submitModalTo(port(), user, callbackId, metadata, texts, selects);
    }

    /** Submits a modal to the app at {@code port}, whatever the round robin says. */
    Answer submitModalTo(int port, String user, String callbackId, String metadata, Map<String, String> texts,
                         Map<String, String> selects) throws Exception {
        StringBuilder values = new StringBuilder();
        texts.forEach((k, v) -> values.append(values.isEmpty() ? "" : ",").append(toJson(k)).append(":{").append(toJson(k))
                .append(":{\"type\":\"plain_text_input\",\"value\":").append(toJson(v)).append("}}"));
        selects.forEach((k, v) -> values.append(values.isEmpty() ? "" : ",").append(toJson(k)).append(":{").append(toJson(k))
                .append(":{\"type\":\"static_select\",\"selected_option\":{\"text\":{\"type\":\"plain_text\",\"text\":\"x\"},\"value\":")
                .append(toJson(v)).append("}}}"));
        String payload = "{\"type\":\"view_submission\",\"team\":{\"id\":\"" + TEAM + "\",\"domain\":\"t\"},\"user\":{\"id\":\"" + user
                + "\",\"name\":\"u\",\"team_id\":\"" + TEAM + "\"},\"api_app_id\":\"A1\",\"token\":\"x\",\"trigger_id\":\"t9\","
                + "\"view\":{\"id\":\"V1\",\"team_id\":\"" + TEAM + "\",\"type\":\"modal\",\"callback_id\":" + toJson(callbackId)
                + ",\"private_metadata\":" + toJson(metadata) + ",\"state\":{\"values\":{" + values + "}},\"hash\":\"h\"}}";
        return postTo(port, "payload=" + enc(payload), "application/x-www-form-urlencoded", Map.of(), Instant.now().getEpochSecond(),
                SECRET);
    }

    Answer interactive(String payload) throws Exception {
        return post("payload=" + enc(payload), "application/x-www-form-urlencoded", Map.of(), Instant.now().getEpochSecond(), SECRET);
    }

    /** POSTs a body signed with {@code secret} at {@code timestamp} (null secret: unsigned). */
    Answer post(String body, String contentType, Map<String, String> headers, long timestamp, String secret) throws Exception {
        return postTo(port(), body, contentType, headers, timestamp, secret);
    }

    private Answer postTo(int port, String body, String contentType, Map<String, String> headers, long timestamp, String secret)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            b.header("X-Slack-Request-Timestamp", String.valueOf(timestamp))
                    .header("X-Slack-Signature", new SlackSignature.Generator(secret).generate(String.valueOf(timestamp), body));
        }
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    int port() {
        if (server != null) {
            return server.http().port();
        }
        int[] ports = targets;
        if (ports.length == 0) {
            throw new IllegalStateException("no app to send to: start the app and call target(port) or targets(ports) first");
        }
        return ports[Math.floorMod(nextTarget.getAndIncrement(), ports.length)];
    }

    ChatServices services() {
        return services;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            services.close();
        }
        api.close();
    }
}
