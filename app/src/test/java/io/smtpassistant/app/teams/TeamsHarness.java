package io.smtpassistant.app.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.app.cli.Cli;
import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.app.server.ServerMode;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The app in server mode with Teams on, over real HTTP: activities are POSTed to
 * {@code /api/messages}; their serviceUrl is a {@link RecordingHttpServer} that plays the Bot
 * Connector (send, update, create conversation: a channel thread, or a personal chat with one member)
 * and records what the bot sent. Captures System.err,
 * where the app's logs go.
 */
final class TeamsHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUPPORT_CHANNEL = "19:support@thread.tacv2";
    static final String SUPPORT_THREAD = SUPPORT_CHANNEL + ";messageid=9001";

    final RecordingHttpServer connector;
    final ChatServices services;
    final ServerMode server;
    final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger outIds = new AtomicInteger();
    private final Map<Recorded, String> assigned = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final PrintStream oldErr = System.err;
    private final boolean ownsConnector;

    /** {@code extra} adds to (and overrides) the base configuration. */
    TeamsHarness(Map<String, String> base, java.util.function.Function<RecordingHttpServer, Map<String, String>> extra) throws Exception {
        this(base, extra, null);
    }

    /**
     * With {@code sharedConnector} the Bot Connector stand-in outlives this app (as Microsoft's service
     * outlives a restart of the bot): it answers for this harness now and is not closed with it.
     */
    TeamsHarness(Map<String, String> base, java.util.function.Function<RecordingHttpServer, Map<String, String>> extra,
                 RecordingHttpServer sharedConnector) throws Exception {
        System.setErr(new PrintStream(new TeeStream(oldErr, logs), true, StandardCharsets.UTF_8));
        ownsConnector = sharedConnector == null;
        if (ownsConnector) {
            connector = RecordingHttpServer.start(this::answer);
        } else {
            connector = sharedConnector;
            connector.respondWith(this::answer);
        }
        Map<String, String> env = new java.util.HashMap<>(base);
        env.put(ServerMode.HTTP_PORT, "0");
        env.put(ServerMode.HTTP_BIND, "127.0.0.1");
        env.putAll(extra.apply(connector));
        AppConfig config = AppConfig.load(env);
        services = new ChatServices(Cli.knowledge(env), config, Clock.systemUTC());
        server = new ServerMode().start(config, services, "127.0.0.1");
    }

    /** Only the Bot Connector stand-in: the app runs in other processes; activities go to {@link #target}. */
    private TeamsHarness() throws Exception {
        ownsConnector = true;
        connector = RecordingHttpServer.start(this::answer);
        services = null;
        server = null;
    }

    static TeamsHarness connectorOnly() throws Exception {
        return new TeamsHarness();
    }

    /** Without an app in this JVM: the port of the app process that activities are posted to. */
    volatile int target;

    /** The Bot Connector: ids for new activities, a thread for a new conversation, tokens for the login endpoint. */
    /** Whether the Bot Connector stand-in refuses to open personal chats (403, as Teams does when the app may not). */
    volatile boolean personalChatsRefused;

    /** The JSON Web Key Set served at {@code /keys} (for tests with an app id). */
    volatile String jwks = "{\"keys\":[]}";

    private RecordingHttpServer.Response answer(Recorded r) {
        if (r.path().equals("/openid")) {
            return RecordingHttpServer.Response.json("{\"issuer\":\"https://api.botframework.com\",\"jwks_uri\":\""
                    + connector.baseUrl() + "/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
        }
        if (r.path().equals("/keys")) {
            return RecordingHttpServer.Response.json(jwks);
        }
        if (r.path().endsWith("/oauth2/v2.0/token")) {
            return RecordingHttpServer.Response.json("{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"outbound-token-1\"}");
        }
        if (r.method().equals("POST") && r.path().equals("/v3/conversations")) {
            String member = personalChatMember(r);
            if (member != null && personalChatsRefused) {
                return new RecordingHttpServer.Response(403, "application/json",
                        "{\"error\":{\"code\":\"Forbidden\",\"message\":\"The bot is not part of the conversation roster.\"}}", Map.of());
            }
            if (member != null) {
                return RecordingHttpServer.Response.json("{\"id\":\"" + personalChatOf(member) + "\"}");
            }
            return RecordingHttpServer.Response.json("{\"id\":\"" + SUPPORT_THREAD + "\",\"activityId\":\"9001\"}");
        }
        String id = "act-" + outIds.incrementAndGet();
        synchronized (assigned) {
            assigned.put(r, id);
            assigned.notifyAll();
        }
        return RecordingHttpServer.Response.json("{\"id\":\"" + id + "\"}");
    }

    /** The personal chat the Bot Connector stand-in opens for a member: {@code 29:anna} chats in {@code a:personal-anna}. */
    static String personalChatOf(String memberId) {
        return "a:personal-" + memberId.substring(memberId.indexOf(':') + 1);
    }

    /** The member of a create-conversation call for a personal (1:1) chat, or null when it is another call (a channel thread). */
    static String personalChatMember(Recorded r) {
        try {
            JsonNode p = JSON.readTree(r.body());
            if (p.path("isGroup").asBoolean(false) || p.path("channelData").has("channel") || p.path("members").size() != 1) {
                return null;
            }
            return p.path("members").get(0).path("id").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The personal chats the bot opened (create-conversation calls for one member), by member id, in order. */
    List<String> personalChatsOpened() {
        return connector.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/v3/conversations"))
                .map(TeamsHarness::personalChatMember).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * The activity id the Bot Connector stand-in gave for this call. A call is recorded before it is
     * answered, so this waits (bounded) for the answer of a call just seen.
     */
    String idOf(Recorded r) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (assigned) {
            while (!assigned.containsKey(r)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the Bot Connector stand-in never answered " + r.method() + " " + r.path());
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(assigned, left);
            }
            return assigned.get(r);
        }
    }

    String serviceUrl() {
        return connector.baseUrl() + "/";
    }

    String endpoint() {
        return "http://127.0.0.1:" + (server != null ? server.http().port() : target) + TeamsModule.PATH;
    }

    int post(JsonNode activity, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(activity)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    int post(JsonNode activity) throws Exception {
        return post(activity, null);
    }

    // ------------------------------------------------------------------------------------ activities

    ObjectNode personal(String text) {
        ObjectNode a = base("a:personal-anna", "personal");
        a.put("text", text);
        return a;
    }

    ObjectNode personalSubmit(JsonNode value) {
        ObjectNode a = base("a:personal-anna", "personal");
        a.set("value", value);
        return a;
    }

    ObjectNode base(String conversationId, String type) {
        ObjectNode a = JSON.createObjectNode();
        a.put("type", "message").put("id", "in-" + ids.incrementAndGet()).put("channelId", "msteams")
                .put("serviceUrl", serviceUrl()).put("locale", "en-US").put("timestamp", "2025-01-01T10:00:00Z");
        a.putObject("from").put("id", "29:anna").put("name", "Anna Admin").put("aadObjectId", "aad-anna");
        a.putObject("recipient").put("id", "28:bot").put("name", "SMTP Assistant");
        ObjectNode c = a.putObject("conversation").put("id", conversationId).put("conversationType", type).put("tenantId", "tenant-1");
        if (!"personal".equals(type)) {
            c.put("isGroup", true);
        }
        a.putObject("channelData").putObject("tenant").put("id", "tenant-1");
        return a;
    }

    /** A support agent's activity in the support request's thread. */
    ObjectNode support(String aadId, String name) {
        ObjectNode a = base(SUPPORT_THREAD, "channel");
        a.putObject("from").put("id", "29:" + name).put("name", name).put("aadObjectId", aadId);
        ((ObjectNode) a.get("channelData")).putObject("channel").put("id", SUPPORT_CHANNEL);
        ((ObjectNode) a.get("channelData")).putObject("team").put("id", "19:team@thread.tacv2");
        return a;
    }

    /**
     * Sam Support writes in the request's thread, then the requester answers: waits until the first
     * reached the requester and the second the thread.
     */
    void relayBothWays(String agentText, String requesterText) throws Exception {
        int m = mark();
        ObjectNode answer = support("aad-sam", "Sam Support");
        answer.put("text", "<at>SMTP Assistant</at> " + agentText);
        post(answer);
        awaitUserCard(m, "Sam Support (support): " + agentText);
        m = mark();
        post(personal(requesterText));
        await(m, "POST", "/v3/conversations/" + SUPPORT_THREAD + "/activities", b -> b.contains(requesterText));
    }

    /**
     * From a new conversation's first activity to its settings form, in Anna's personal chat: set up
     * our mailbox, one with its own password, {@code sender}, settings entered by hand, not shared.
     * Returns the settings form card.
     */
    JsonNode toSettingsForm(ObjectNode first, String sender) throws Exception {
        int m = mark();
        post(first);
        JsonNode entry = card(awaitUserCard(m, "What do you need help with?"));
        m = mark();
        post(personalSubmit(action(entry, 0)));                     // set up our mailbox
        JsonNode kind = card(awaitUserCard(m, "Action.Submit"));
        m = mark();
        post(personalSubmit(action(kind, 0)));                      // a mailbox with its own password
        JsonNode senderForm = card(awaitUserCard(m, "\"form\":\"sender\""));
        m = mark();
        post(personalSubmit(((ObjectNode) action(senderForm, 0).deepCopy()).put("sender", sender)));
        JsonNode preset = card(awaitUserCard(m, "preset:no"));
        m = mark();
        post(personalSubmit(choice(preset, "preset:no")));           // I'll enter the settings myself
        JsonNode shared = card(awaitUserCard(m, "Action.Submit"));
        m = mark();
        post(personalSubmit(action(shared, 1)));                     // not a shared mailbox
        return card(awaitUserCard(m, "\"form\":\"settings\""));
    }

    /** The data of the card's action for {@code choiceId}. */
    static JsonNode choice(JsonNode card, String choiceId) {
        for (JsonNode a : card.path("actions")) {
            if (choiceId.equals(a.path("data").path("choice").asText())) {
                return a.path("data");
            }
        }
        throw new AssertionError("no action " + choiceId + " in " + card);
    }

    /** The input {@code id} of a card's body. */
    static JsonNode input(JsonNode card, String id) {
        return card.path("body").get(indexOf(card, id));
    }

    /** Where the input {@code id} is in a card's body. */
    static int indexOf(JsonNode card, String id) {
        JsonNode body = card.path("body");
        for (int i = 0; i < body.size(); i++) {
            if (id.equals(body.get(i).path("id").asText())) {
                return i;
            }
        }
        throw new AssertionError("no input " + id + " in " + card);
    }

    // ------------------------------------------------------------------------------------ reading back

    /** Requests recorded from index {@code from} on. */
    List<Recorded> since(int from) {
        List<Recorded> all = connector.requests();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    int mark() {
        return connector.requests().size();
    }

    /** Waits for a call at or after {@code mark} to a path containing {@code pathPart} whose body matches. */
    Recorded await(int mark, String method, String pathPart, Predicate<String> body) throws InterruptedException {
        List<Recorded> before = connector.requests().subList(0, Math.min(mark, connector.requests().size()));
        Recorded r = connector.await(x -> x.method().equals(method) && x.path().contains(pathPart) && body.test(x.body())
                && !before.contains(x), Duration.ofSeconds(20));
        if (r == null) {
            throw new AssertionError("no " + method + " to " + pathPart + " matching after request " + mark + "; recorded:\n"
                    + describe(since(mark)));
        }
        return r;
    }

    Recorded awaitUserCard(int mark, String contains) throws InterruptedException {
        return await(mark, "POST", "/v3/conversations/a:personal-anna/activities", b -> b.contains(contains));
    }

    static JsonNode card(Recorded r) {
        try {
            return JSON.readTree(r.body()).path("attachments").path(0).path("content");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The data of the card's action whose title starts with {@code title}, or of the {@code index}th action. */
    static JsonNode action(JsonNode card, int index) {
        JsonNode actions = card.path("actions");
        if (index >= actions.size()) {
            throw new AssertionError("no action " + index + " in " + card);
        }
        return actions.get(index).path("data");
    }

    static String describe(List<Recorded> rs) {
        List<String> lines = new ArrayList<>();
        for (Recorded r : rs) {
            lines.add(r.method() + " " + r.path() + " " + (r.body().length() > 300 ? r.body().substring(0, 300) + "…" : r.body()));
        }
        return String.join("\n", lines);
    }

    /** Waits (bounded) until the captured log contains {@code text}. */
    void awaitLog(String text) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (logs) {
            while (!logs.toString(StandardCharsets.UTF_8).contains(text)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the log never said: " + text);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(logs, left);
            }
        }
    }

    String logs() {
        System.err.flush();
        synchronized (logs) {
            return logs.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
                services.close();
            }
            if (ownsConnector) {
                connector.close();
            }
        } finally {
            System.setErr(oldErr);
        }
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
                b.notifyAll();
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
                b.notifyAll();
            }
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }

}
