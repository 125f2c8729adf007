package io.smtpassistant.core.support.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.SupportRequestIds;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound side of Zendesk: the app's {@code POST /support/zendesk}, called by a Zendesk webhook
 * that two triggers fire (an agent's public comment, a status change). The JSON body the triggers
 * send is defined in {@code docs/zendesk.md}.
 *
 * <p>The chain: verify the signature ({@code X-Zendesk-Webhook-Signature} =
 * base64(HMAC-SHA256(signing secret, {@code X-Zendesk-Webhook-Signature-Timestamp} + body))) → refuse
 * stale calls (timestamp more than 5 minutes away from our clock) and replays (a signature already
 * seen) → parse → drop our own updates (made as {@code ZENDESK_EMAIL}, or carrying our event marker:
 * no echo loops) → hand the {@link ZendeskUpdate} to the {@link ZendeskUpdateSink}.
 *
 * <p>Platform-neutral: the app adapts {@link #handle} to its HTTP server. Thread-safe.
 */
public final class ZendeskWebhook {

    /** The path the app serves. */
    public static final String PATH = "/support/zendesk";
    public static final String SIGNATURE = "X-Zendesk-Webhook-Signature";
    public static final String TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp";
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final int MAX_BODY = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ZendeskWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The HTTP answer: a status and a short plain-text body. */
    public record Answer(int status, String body) {
    }

    private final Secret signingSecret;
    private final String ownEmail;
    private final ZendeskUpdateSink sink;
    private final Clock clock;
    private final Cache<String, Boolean> seen;

    /**
     * @param signingSecret the webhook's signing secret ({@code ZENDESK_WEBHOOK_SECRET})
     * @param ownEmail      {@code ZENDESK_EMAIL}: updates made by this user are our own API calls
     */
    public ZendeskWebhook(Secret signingSecret, String ownEmail, ZendeskUpdateSink sink, Clock clock) {
        this.signingSecret = Objects.requireNonNull(signingSecret, "signingSecret");
        this.ownEmail = Objects.requireNonNull(ownEmail, "ownEmail").strip().toLowerCase(Locale.ROOT);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seen = Caffeine.newBuilder().expireAfterWrite(TOLERANCE.multipliedBy(3)).maximumSize(100_000).build();
    }

    /**
     * Handles one call.
     *
     * @param header a request header by name (any case), empty when absent
     */
    public Answer handle(String method, Function<String, Optional<String>> header, byte[] body) {
        if (!"POST".equalsIgnoreCase(method)) {
            return new Answer(405, "POST only");
        }
        Optional<String> signature = header.apply(SIGNATURE).map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> timestamp = header.apply(TIMESTAMP).map(String::strip).filter(s -> !s.isEmpty());
        if (signature.isEmpty() || timestamp.isEmpty()) {
            return new Answer(401, "unsigned: " + SIGNATURE + " and " + TIMESTAMP + " are required");
        }
        Instant at;
        try {
            at = Instant.parse(timestamp.get());
        } catch (DateTimeParseException e) {
            return new Answer(401, TIMESTAMP + " is not a time such as 2026-12-04T13:20:00Z");
        }
        if (Duration.between(at, clock.instant()).abs().compareTo(TOLERANCE) > 0) {
            return new Answer(401, "stale: the signature timestamp is more than 5 minutes away from now");
        }
        if (body.length > MAX_BODY) {
            return new Answer(413, "body larger than " + MAX_BODY + " bytes");
        }
        if (!MessageDigest.isEqual(sign(timestamp.get(), body).getBytes(StandardCharsets.US_ASCII),
                signature.get().getBytes(StandardCharsets.US_ASCII))) {
            return new Answer(401, "bad signature: check ZENDESK_WEBHOOK_SECRET against the webhook's signing secret");
        }
        if (seen.asMap().putIfAbsent(signature.get(), Boolean.TRUE) != null) {
            return new Answer(200, "duplicate: already taken");
        }
        Parsed parsed = parse(body);
        return switch (parsed) {
            case Parsed.Bad b -> {
                seen.invalidate(signature.get());
                yield new Answer(400, b.message());
            }
            case Parsed.Ignored i -> new Answer(200, "ignored: " + i.why());
            case Parsed.Update u -> switch (sink.accept(u.update())) {
                case ACCEPTED -> new Answer(200, "ok");
                case UNKNOWN_REQUEST -> {
                    LOG.info("Zendesk update for unknown request {} ignored", u.update().requestId());
                    yield new Answer(200, "ignored: no request " + u.update().requestId());
                }
                case TRY_AGAIN -> {
                    seen.invalidate(signature.get());
                    yield new Answer(503, "not taken now; try again");
                }
            };
        };
    }

    private sealed interface Parsed {
        record Update(ZendeskUpdate update) implements Parsed {
        }

        record Ignored(String why) implements Parsed {
        }

        record Bad(String message) implements Parsed {
        }
    }

    private Parsed parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return new Parsed.Bad("the body is not JSON; see docs/zendesk.md for the trigger's body");
        }
        if (root == null || !root.isObject()) {
            return new Parsed.Bad("the body must be a JSON object; see docs/zendesk.md for the trigger's body");
        }
        String event = text(root, "event").toLowerCase(Locale.ROOT);
        String externalId = text(root, "external_id");
        String actorName = text(root, "actor_name");
        String actorEmail = text(root, "actor_email").toLowerCase(Locale.ROOT);
        if (!event.equals("comment") && !event.equals("status")) {
            return new Parsed.Bad("\"event\" must be \"comment\" or \"status\", was \"" + shorten(event) + "\"");
        }
        if (externalId.isEmpty()) {
            return new Parsed.Ignored("the ticket has no external_id: not one of ours");
        }
        Optional<String> requestId = SupportRequestIds.parse(externalId);
        if (requestId.isEmpty()) {
            return new Parsed.Ignored("external_id \"" + shorten(externalId) + "\" is not a support request id");
        }
        if (!ownEmail.isEmpty() && actorEmail.equals(ownEmail)) {
            return new Parsed.Ignored("our own update (made as ZENDESK_EMAIL)");
        }
        String actor = actorName.isEmpty() ? (actorEmail.isEmpty() ? "Zendesk agent" : actorEmail) : actorName;
        if (event.equals("comment")) {
            String comment = text(root, "comment");
            if (comment.isBlank()) {
                return new Parsed.Ignored("empty comment");
            }
            if (comment.contains("smtp-assistant event ")) {
                return new Parsed.Ignored("our own note");
            }
            return new Parsed.Update(new ZendeskUpdate.AgentComment(requestId.get(), actor, comment.strip()));
        }
        String status = text(root, "status").toLowerCase(Locale.ROOT);
        if (!Arrays.asList("new", "open", "pending", "hold", "solved", "closed").contains(status)) {
            return new Parsed.Bad("\"status\" must be a Zendesk status (new, open, pending, hold, solved, closed), was \""
                    + shorten(status) + "\"");
        }
        return new Parsed.Update(new ZendeskUpdate.StatusChanged(requestId.get(), status, actor));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.path(field);
        return n.isValueNode() ? n.asText("").strip() : "";
    }

    private static String shorten(String s) {
        return ChannelHttp.shorten(Evidence.visible(s), 40);
    }

    /** base64(HMAC-SHA256(secret, timestamp + body)), as Zendesk computes it. */
    String sign(String timestamp, byte[] body) {
        return sign(signingSecret, timestamp, body);
    }

    static String sign(Secret secret, String timestamp, byte[] body) {
        char[] chars = secret.reveal();
        byte[] key = new String(chars).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(chars, '\0');
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

}
