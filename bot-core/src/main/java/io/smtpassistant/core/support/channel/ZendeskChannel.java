package io.smtpassistant.core.support.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Support requests as Zendesk tickets, through the Tickets API.
 *
 * <ul>
 *   <li>{@code OPENED}: {@code POST /api/v2/tickets.json} with the subject, the requester (name and
 *       e-mail, when the e-mail is known),
 *       the evidence as the first comment, an internal note ({@code public: false}), tags with the
 *       diagnosis code and provider, {@code external_id} = the request id, and an
 *       {@code Idempotency-Key} header = the event id. Before creating, the ticket is looked up by
 *       {@code external_id}, so a retry after the key expired (Zendesk keeps keys for a while only)
 *       does not make a second ticket either.</li>
 *   <li>Later events: {@code PUT /api/v2/tickets/{id}.json} with an internal note and, where the
 *       event changes it, the status (claimed, released, reopened: {@code open}; resolved:
 *       {@code solved}). Zendesk takes idempotency keys for creation only, so before a note is added
 *       the ticket's newest comments are searched for the event's marker line
 *       ({@link Evidence#marker}); a retry whose first attempt arrived is then counted as delivered.</li>
 * </ul>
 *
 * <p>Every note is internal: Zendesk never mails the requester on our behalf. The ticket is found by
 * {@code external_id} ({@code GET /api/v2/tickets.json?external_id=…}); the id is cached.
 *
 * <p>Outcomes: 2xx → delivered (receipt {@code ticket <id>}); 429 with {@code Retry-After}, 409, 5xx,
 * timeouts and refused connections → retry later; 401, 403, 404 of the account, 422 → rejected with
 * the setting to fix. Thread-safe; the token is sent as basic auth {@code {email}/token:{token}} and
 * never logged or put in a reason.
 */
public final class ZendeskChannel implements SupportChannel {

    /**
     * Where and as whom.
     *
     * @param baseUrl e.g. {@code https://example.zendesk.com} (no path)
     * @param email   the agent the API acts as; comments the webhook reports from this address are ours
     */
    public record Settings(URI baseUrl, String email, Secret apiToken) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(apiToken, "apiToken");
        }

        @Override
        public String toString() {
            return "Settings[" + baseUrl + ", " + email + ", token redacted]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Evidence evidence;
    private final ChannelHttp http;
    private final String base;
    private final Cache<String, Long> tickets = Caffeine.newBuilder().maximumSize(10_000).build();

    /**
     * @param timeout bounds the connection and each request
     */
    public ZendeskChannel(Settings settings, Evidence evidence, Clock clock, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.http = new ChannelHttp(timeout, timeout, clock);
        String b = settings.baseUrl().toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    @Override
    public String id() {
        return "zendesk";
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        Lookup found = findTicket(request.id());
        if (found instanceof Lookup.Failed f) {
            return f.delivery();
        }
        Optional<Long> ticket = ((Lookup.Found) found).ticketId();
        if (event.type() == SupportEventType.OPENED) {
            return ticket.<Delivery>map(id -> new Delivery.Delivered("ticket " + id))
                    .orElseGet(() -> create(request, evidence.event(event, request), event.eventId()));
        }
        if (ticket.isEmpty()) {
            // The OPENED event was parked (e.g. bad credentials, since fixed): make the ticket now.
            Delivery created = create(request, evidence.request(request), event.eventId() + "/ticket");
            if (!(created instanceof Delivery.Delivered)) {
                return created;
            }
            ticket = Optional.ofNullable(tickets.getIfPresent(request.id()));
            if (ticket.isEmpty()) {
                return new Delivery.RetryLater(Optional.empty(), "Zendesk created the ticket for " + request.id()
                        + " but did not say its id");
            }
        }
        return update(ticket.get(), event, request);
    }

    @Override
    public Optional<String> selfCheck() {
        HttpRequest req = authed(URI.create(base + "/api/v2/users/me.json")).GET().build();
        ChannelHttp.Result result = http.send(req);
        if (result instanceof ChannelHttp.Result.Failed f) {
            return Optional.of("Zendesk at ZENDESK_URL=" + base + " cannot be reached (" + f.reason() + ")");
        }
        ChannelHttp.Result.Response r = (ChannelHttp.Result.Response) result;
        if (r.status() == 401) {
            return Optional.of(credentialsHint());
        }
        if (r.status() == 404) {
            return Optional.of(accountHint());
        }
        if (!ChannelHttp.isSuccess(r.status())) {
            return Optional.of("Zendesk at ZENDESK_URL=" + base + " answered " + r.status() + " to GET /api/v2/users/me.json");
        }
        JsonNode user = parse(r.body()).path("user");
        String role = user.path("role").asText("");
        if (user.path("id").isNull() || user.path("id").isMissingNode() || !(role.equals("agent") || role.equals("admin"))) {
            return Optional.of("Zendesk does not know ZENDESK_EMAIL=" + settings.email() + " with this token as an agent"
                    + " (role '" + role + "'); use an agent's or admin's address and an API token of that account");
        }
        return Optional.empty();
    }

    // --- the API calls -------------------------------------------------------------------------------

    private sealed interface Lookup {
        record Found(Optional<Long> ticketId) implements Lookup {
        }

        record Failed(Delivery delivery) implements Lookup {
        }
    }

    private Lookup findTicket(String requestId) {
        Long cached = tickets.getIfPresent(requestId);
        if (cached != null) {
            return new Lookup.Found(Optional.of(cached));
        }
        URI uri = URI.create(base + "/api/v2/tickets.json?external_id=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
        ChannelHttp.Result result = http.send(authed(uri).GET().build());
        if (result instanceof ChannelHttp.Result.Failed f) {
            return new Lookup.Failed(new Delivery.RetryLater(Optional.empty(), "Zendesk " + f.reason()));
        }
        ChannelHttp.Result.Response r = (ChannelHttp.Result.Response) result;
        if (!ChannelHttp.isSuccess(r.status())) {
            return new Lookup.Failed(failure(r, "Zendesk GET /api/v2/tickets.json"));
        }
        for (JsonNode t : parse(r.body()).path("tickets")) {
            if (requestId.equals(t.path("external_id").asText()) && t.path("id").canConvertToLong()) {
                long id = t.path("id").asLong();
                tickets.put(requestId, id);
                return new Lookup.Found(Optional.of(id));
            }
        }
        return new Lookup.Found(Optional.empty());
    }

    private Delivery create(SupportRequest request, Evidence.Rendered body, String idempotencyKey) {
        ObjectNode ticket = JSON.createObjectNode();
        ticket.put("subject", evidence.subject(request));
        if (!request.requester().email().isEmpty()) {
            // Zendesk finds the end user by e-mail, or creates them; without an address the API user stays requester
            ObjectNode requester = ticket.putObject("requester");
            requester.put("name", request.requester().displayName().isEmpty() ? request.requester().email()
                    : request.requester().displayName());
            requester.put("email", request.requester().email());
        }
        ObjectNode comment = ticket.putObject("comment");
        comment.put("body", body.text());
        comment.put("html_body", body.html());
        comment.put("public", false);
        ticket.put("external_id", request.id());
        ArrayNode tags = ticket.putArray("tags");
        tags.add("smtp_assistant");
        request.lastCheck().ifPresent(c -> {
            tags.add("diagnosis_" + tag(c.diagnosis().name()));
            if (!c.providerId().isEmpty()) {
                tags.add("provider_" + tag(c.providerId()));
            }
        });
        tags.add("platform_" + tag(request.requester().platform()));
        ObjectNode root = JSON.createObjectNode();
        root.set("ticket", ticket);
        HttpRequest req = authed(URI.create(base + "/api/v2/tickets.json"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(ChannelHttp.json(write(root))).build();
        ChannelHttp.Result result = http.send(req);
        if (result instanceof ChannelHttp.Result.Failed f) {
            return new Delivery.RetryLater(Optional.empty(), "Zendesk " + f.reason());
        }
        ChannelHttp.Result.Response r = (ChannelHttp.Result.Response) result;
        if (!ChannelHttp.isSuccess(r.status())) {
            return failure(r, "Zendesk POST /api/v2/tickets.json");
        }
        JsonNode id = parse(r.body()).path("ticket").path("id");
        if (!id.canConvertToLong()) {
            return new Delivery.Delivered("ticket created");
        }
        tickets.put(request.id(), id.asLong());
        return new Delivery.Delivered("ticket " + id.asLong());
    }

    private Delivery update(long ticketId, SupportEvent event, SupportRequest request) {
        String marker = Evidence.marker(event);
        URI comments = URI.create(base + "/api/v2/tickets/" + ticketId + "/comments.json?sort_order=desc");
        ChannelHttp.Result listed = http.send(authed(comments).GET().build());
        if (listed instanceof ChannelHttp.Result.Failed f) {
            return new Delivery.RetryLater(Optional.empty(), "Zendesk " + f.reason());
        }
        ChannelHttp.Result.Response lr = (ChannelHttp.Result.Response) listed;
        if (lr.status() == 404) {
            tickets.invalidate(request.id());
            return new Delivery.RetryLater(Optional.empty(), "Zendesk ticket " + ticketId + " of " + request.id()
                    + " is gone; it is looked up again on the next attempt");
        }
        if (!ChannelHttp.isSuccess(lr.status())) {
            return failure(lr, "Zendesk GET /api/v2/tickets/" + ticketId + "/comments.json");
        }
        for (JsonNode c : parse(lr.body()).path("comments")) {
            if (c.path("body").asText("").contains(marker)) {
                return new Delivery.Delivered("ticket " + ticketId + " (already there)");
            }
        }
        Evidence.Rendered body = evidence.event(event, request);
        ObjectNode ticket = JSON.createObjectNode();
        ObjectNode comment = ticket.putObject("comment");
        comment.put("body", body.text());
        comment.put("html_body", body.html());
        comment.put("public", false);
        status(event.type()).ifPresent(s -> ticket.put("status", s));
        ObjectNode root = JSON.createObjectNode();
        root.set("ticket", ticket);
        HttpRequest req = authed(URI.create(base + "/api/v2/tickets/" + ticketId + ".json"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", event.eventId())
                .PUT(ChannelHttp.json(write(root))).build();
        ChannelHttp.Result result = http.send(req);
        if (result instanceof ChannelHttp.Result.Failed f) {
            return new Delivery.RetryLater(Optional.empty(), "Zendesk " + f.reason());
        }
        ChannelHttp.Result.Response r = (ChannelHttp.Result.Response) result;
        if (r.status() == 404) {
            tickets.invalidate(request.id());
            return new Delivery.RetryLater(Optional.empty(), "Zendesk ticket " + ticketId + " of " + request.id()
                    + " is gone; it is looked up again on the next attempt");
        }
        if (!ChannelHttp.isSuccess(r.status())) {
            return failure(r, "Zendesk PUT /api/v2/tickets/" + ticketId + ".json");
        }
        return new Delivery.Delivered("ticket " + ticketId);
    }

    /** The Zendesk status an event sets, if any. */
    static Optional<String> status(SupportEventType type) {
        return switch (type) {
            case CLAIMED, RELEASED, REOPENED -> Optional.of("open");
            case RESOLVED -> Optional.of("solved");
            case OPENED, REQUESTER_MESSAGE, AGENT_MESSAGE, RERUN_DONE, RECHECK_ASKED -> Optional.empty();
        };
    }

    private Delivery failure(ChannelHttp.Result.Response r, String what) {
        if (r.status() == 400 && r.body().contains("IdempotentRequestError")) {
            // the key was used before with another body: the first attempt's ticket is found by external_id next time
            return new Delivery.RetryLater(Optional.empty(),
                    what + " answered 400 IdempotentRequestError; the ticket is looked up again on the next attempt");
        }
        return switch (r.status()) {
            case 401 -> new Delivery.Rejected(what + " answered 401: " + credentialsHint());
            case 403 -> new Delivery.Rejected(what + " answered 403: the Zendesk user ZENDESK_EMAIL=" + settings.email()
                    + " may not do this; it must be an agent or admin");
            case 404 -> new Delivery.Rejected(what + " answered 404: " + accountHint());
            default -> http.failure(r, what, r.status() == 422 ? "Zendesk refused the ticket data" : "");
        };
    }

    private String credentialsHint() {
        return "Zendesk refused the credentials; check ZENDESK_EMAIL=" + settings.email()
                + " (an agent's address) and ZENDESK_API_TOKEN (Admin Center > Apps and integrations > Zendesk API,"
                + " token access on)";
    }

    private String accountHint() {
        return "no Zendesk account answers at ZENDESK_URL=" + base + "; write https://<subdomain>.zendesk.com";
    }

    private HttpRequest.Builder authed(URI uri) {
        char[] token = settings.apiToken().reveal();
        try {
            byte[] raw = (settings.email() + "/token:" + new String(token)).getBytes(StandardCharsets.UTF_8);
            String header = "Basic " + Base64.getEncoder().encodeToString(raw);
            Arrays.fill(raw, (byte) 0);
            return http.request(uri).header("Accept", "application/json").header("Authorization", header);
        } finally {
            Arrays.fill(token, '\0');
        }
    }

    private static String tag(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? JSON.missingNode() : n;
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }
}
