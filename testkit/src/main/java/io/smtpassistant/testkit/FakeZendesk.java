package io.smtpassistant.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recording Zendesk Support account on 127.0.0.1, with the part of the Tickets API the Zendesk
 * channel uses, in the shapes the API reference documents:
 *
 * <ul>
 *   <li>{@code POST /api/v2/tickets.json}: creates a ticket (201 {@code {"ticket":{…}}}). An
 *       {@code Idempotency-Key} seen before returns the first answer again with
 *       {@code x-idempotency-lookup: hit} and creates nothing; the same key with a different body is a
 *       400 {@code IdempotentRequestError}, as Zendesk answers.</li>
 *   <li>{@code GET /api/v2/tickets.json?external_id=…}: the tickets with that external id.</li>
 *   <li>{@code PUT /api/v2/tickets/{id}.json}: adds the comment, sets the status. Zendesk honours
 *       idempotency keys for ticket creation only, and so does this fake: a repeated update adds a
 *       second comment (see {@link #duplicateComments()}).</li>
 *   <li>{@code GET /api/v2/tickets/{id}/comments.json} (with {@code sort_order=desc}).</li>
 *   <li>{@code GET /api/v2/users/me.json}.</li>
 * </ul>
 *
 * <p>Every call needs basic auth {@code {email}/token:{token}} (else 401 {@code Couldn't authenticate
 * you}). It can answer 429 with {@code Retry-After}, 5xx, hang, or refuse connections. Thread-safe.
 */
public final class FakeZendesk implements AutoCloseable, MisbehavingReceiver {

    /** A comment as stored. */
    public record Comment(long id, String body, String htmlBody, boolean isPublic, Instant createdAt) {
    }

    /** A ticket as stored. */
    public record Ticket(long id, String externalId, String subject, String status, List<String> tags,
                         JsonNode requester, List<Comment> comments) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TICKET = Pattern.compile("/api/v2/tickets/(\\d+)\\.json");
    private static final Pattern COMMENTS = Pattern.compile("/api/v2/tickets/(\\d+)/comments\\.json");

    private final String email;
    private final String token;
    private final FaultyHttpServer http;
    private final Map<Long, MutableTicket> tickets = new LinkedHashMap<>();
    private final Map<String, Stored> idempotency = new HashMap<>();
    private long nextId = 1;
    private long nextCommentId = 1000;
    private int idempotencyHits;

    private record Stored(String body, int status, String response) {
    }

    private static final class MutableTicket {
        final long id;
        final String externalId;
        final String subject;
        final List<String> tags;
        final JsonNode requester;
        final List<Comment> comments = new ArrayList<>();
        String status = "new";

        MutableTicket(long id, String externalId, String subject, List<String> tags, JsonNode requester) {
            this.id = id;
            this.externalId = externalId;
            this.subject = subject;
            this.tags = tags;
            this.requester = requester;
        }

        Ticket snapshot() {
            return new Ticket(id, externalId, subject, status, List.copyOf(tags), requester, List.copyOf(comments));
        }
    }

    private FakeZendesk(String email, String token) {
        this.email = email;
        this.token = token;
        this.http = new FaultyHttpServer(this::answer);
    }

    /** An account where the agent {@code email} has API token {@code token}. */
    public static FakeZendesk start(String email, String token) {
        return new FakeZendesk(email, token);
    }

    /** {@code http://127.0.0.1:PORT}, the account's {@code ZENDESK_URL} for tests. */
    public String baseUrl() {
        return http.baseUrl();
    }

    public int port() {
        return http.port();
    }

    /** Waits (bounded) until a call matches; null on timeout. */
    public RecordingHttpServer.Recorded await(java.util.function.Predicate<RecordingHttpServer.Recorded> match,
                                              Duration timeout) throws InterruptedException {
        return http.await(match, timeout);
    }

    /** Every ticket, in creation order. */
    public synchronized List<Ticket> tickets() {
        return tickets.values().stream().map(MutableTicket::snapshot).toList();
    }

    /** The tickets with this external id (more than one would be a duplicate). */
    public synchronized List<Ticket> ticketsFor(String externalId) {
        return tickets.values().stream().filter(t -> externalId.equals(t.externalId)).map(MutableTicket::snapshot).toList();
    }

    public Optional<Ticket> ticket(String externalId) {
        List<Ticket> t = ticketsFor(externalId);
        return t.isEmpty() ? Optional.empty() : Optional.of(t.getFirst());
    }

    /** How many creations were answered from the idempotency store instead of creating a ticket. */
    public synchronized int idempotencyHits() {
        return idempotencyHits;
    }

    /**
     * Comments whose body repeats the {@code smtp-assistant event …} marker line of an earlier comment
     * on the same ticket: deliveries of one event that reached the ticket twice.
     */
    public synchronized int duplicateComments() {
        int dups = 0;
        Pattern marker = Pattern.compile("smtp-assistant event (\\S+)");
        for (MutableTicket t : tickets.values()) {
            Map<String, Integer> seen = new HashMap<>();
            for (Comment c : t.comments) {
                Matcher m = marker.matcher(c.body());
                if (m.find() && seen.merge(m.group(1), 1, Integer::sum) > 1) {
                    dups++;
                }
            }
        }
        return dups;
    }

    // --- the API -------------------------------------------------------------------------------------

    private RecordingHttpServer.Response answer(RecordingHttpServer.Recorded r) {
        if (!authorised(r.headers().getOrDefault("authorization", ""))) {
            return json(401, "{\"error\":\"Couldn't authenticate you\"}");
        }
        try {
            if (r.path().equals("/api/v2/users/me.json") && r.method().equals("GET")) {
                ObjectNode root = JSON.createObjectNode();
                root.putObject("user").put("id", 361).put("email", email).put("role", "admin").put("name", "API agent");
                return json(200, root.toString());
            }
            if (r.path().equals("/api/v2/tickets.json") && r.method().equals("POST")) {
                return create(r);
            }
            if (r.path().equals("/api/v2/tickets.json") && r.method().equals("GET")) {
                return list(query(r.query()).getOrDefault("external_id", ""));
            }
            Matcher t = TICKET.matcher(r.path());
            if (t.matches() && r.method().equals("PUT")) {
                return update(Long.parseLong(t.group(1)), r);
            }
            Matcher c = COMMENTS.matcher(r.path());
            if (c.matches() && r.method().equals("GET")) {
                return comments(Long.parseLong(c.group(1)), "desc".equals(query(r.query()).get("sort_order")));
            }
            return json(404, "{\"error\":\"InvalidEndpoint\",\"description\":\"Not found\"}");
        } catch (JsonProcessingException e) {
            return json(400, "{\"error\":\"Unprocessable JSON\"}");
        }
    }

    private synchronized RecordingHttpServer.Response create(RecordingHttpServer.Recorded r) throws JsonProcessingException {
        String key = r.headers().get("idempotency-key");
        if (key != null) {
            Stored s = idempotency.get(key);
            if (s != null) {
                if (!s.body().equals(r.body())) {
                    return json(400, "{\"error\":\"IdempotentRequestError\",\"description\":\"Request parameters do not match"
                            + " the previous request with the same idempotency key\"}");
                }
                idempotencyHits++;
                return new RecordingHttpServer.Response(s.status(), "application/json", s.response(),
                        Map.of("x-idempotency-lookup", "hit"));
            }
        }
        JsonNode t = JSON.readTree(r.body()).path("ticket");
        JsonNode comment = t.path("comment");
        if (t.isMissingNode() || comment.path("body").asText("").isEmpty() && comment.path("html_body").asText("").isEmpty()) {
            return json(422, "{\"error\":\"RecordInvalid\",\"description\":\"Record validation errors\","
                    + "\"details\":{\"description\":[{\"description\":\"Description: cannot be blank\"}]}}");
        }
        List<String> tags = new ArrayList<>();
        t.path("tags").forEach(n -> tags.add(n.asText()));
        MutableTicket ticket = new MutableTicket(nextId++, t.path("external_id").asText(null), t.path("subject").asText(""),
                tags, t.path("requester").isMissingNode() ? null : t.path("requester"));
        ticket.comments.add(comment(comment));
        tickets.put(ticket.id, ticket);
        ObjectNode root = JSON.createObjectNode();
        root.set("ticket", ticketJson(ticket));
        String response = root.toString();
        if (key != null) {
            idempotency.put(key, new Stored(r.body(), 201, response));
        }
        return new RecordingHttpServer.Response(201, "application/json", response,
                key == null ? Map.of() : Map.of("x-idempotency-lookup", "miss"));
    }

    private synchronized RecordingHttpServer.Response list(String externalId) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("tickets");
        tickets.values().stream().filter(t -> externalId.equals(t.externalId)).forEach(t -> list.add(ticketJson(t)));
        root.putNull("next_page");
        root.putNull("previous_page");
        root.put("count", list.size());
        return json(200, root.toString());
    }

    private synchronized RecordingHttpServer.Response update(long id, RecordingHttpServer.Recorded r) throws JsonProcessingException {
        MutableTicket ticket = tickets.get(id);
        if (ticket == null) {
            return json(404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        }
        if (ticket.status.equals("closed")) {
            return json(422, "{\"error\":\"RecordInvalid\",\"description\":\"Status: closed prevents ticket update\"}");
        }
        JsonNode t = JSON.readTree(r.body()).path("ticket");
        if (t.has("comment")) {
            ticket.comments.add(comment(t.path("comment")));
        }
        if (t.has("status")) {
            ticket.status = t.path("status").asText();
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("ticket", ticketJson(ticket));
        root.putObject("audit").put("ticket_id", id);
        return json(200, root.toString());
    }

    private synchronized RecordingHttpServer.Response comments(long id, boolean newestFirst) {
        MutableTicket ticket = tickets.get(id);
        if (ticket == null) {
            return json(404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        }
        List<Comment> list = new ArrayList<>(ticket.comments);
        if (newestFirst) {
            list.sort(Comparator.comparingLong(Comment::id).reversed());
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode out = root.putArray("comments");
        for (Comment c : list.subList(0, Math.min(100, list.size()))) {
            out.addObject().put("id", c.id()).put("type", "Comment").put("body", c.body()).put("html_body", c.htmlBody())
                    .put("public", c.isPublic()).put("author_id", 361).put("created_at", c.createdAt().toString());
        }
        root.putNull("next_page");
        root.putNull("previous_page");
        root.put("count", list.size());
        return json(200, root.toString());
    }

    private Comment comment(JsonNode c) {
        String body = c.path("body").asText("");
        String html = c.path("html_body").asText("");
        return new Comment(nextCommentId++, body.isEmpty() ? html.replaceAll("<[^>]*>", "") : body, html,
                c.path("public").asBoolean(true), Instant.now());
    }

    private ObjectNode ticketJson(MutableTicket t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("url", baseUrl() + "/api/v2/tickets/" + t.id + ".json");
        n.put("id", t.id);
        n.put("external_id", t.externalId);
        n.put("subject", t.subject);
        n.put("status", t.status);
        ArrayNode tags = n.putArray("tags");
        t.tags.forEach(tags::add);
        n.put("requester_id", 361);
        return n;
    }

    private boolean authorised(String header) {
        if (!header.startsWith("Basic ")) {
            return false;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            return decoded.equals(email + "/token:" + token);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static RecordingHttpServer.Response json(int status, String body) {
        return new RecordingHttpServer.Response(status, "application/json", body, Map.of());
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public FaultyHttpServer server() {
        return http;
    }
}
