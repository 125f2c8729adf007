package io.smtpassistant.core.support.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.support.CheckSnapshot;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.SupportChannel;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.TreeStep;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Support events as signed JSON to a URL of the customer's choice ({@code SMTP_ASSISTANT_WEBHOOK_URL}).
 * The body's schema ({@value #SCHEMA}) is a contract documented in {@code docs/support-events.md}:
 * fields are only ever added.
 *
 * <p>Each POST carries {@code X-SmtpAssistant-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">} keyed with {@code SMTP_ASSISTANT_WEBHOOK_SECRET}, and the event id as
 * {@code Idempotency-Key} and {@code X-SmtpAssistant-Event-Id}: a retry carries the same id, so the
 * receiver de-duplicates by it.
 *
 * <p>Outcomes: 2xx → delivered; 408, 409, 425, 429 (honouring {@code Retry-After}), 5xx, timeouts and
 * refused connections → retry later; any other status (3xx, 4xx) → rejected. Thread-safe.
 */
public final class WebhookChannel implements SupportChannel {

    public static final String SCHEMA = "smtp-assistant.support-event.v1";
    public static final String SIGNATURE = "X-SmtpAssistant-Signature";
    public static final String EVENT_ID = "X-SmtpAssistant-Event-Id";

    /** Where to and the signing secret. */
    public record Settings(URI url, Secret secret) {
        public Settings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Settings[" + url + ", secret redacted]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Evidence evidence;
    private final ChannelHttp http;
    private final Clock clock;

    public WebhookChannel(Settings settings, Evidence evidence, Clock clock, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = new ChannelHttp(timeout, timeout, clock);
    }

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public Delivery deliver(SupportEvent event, SupportRequest request) {
        String body = body(event, request);
        long t = clock.instant().getEpochSecond();
        HttpRequest req = http.request(settings.url())
                .header("Content-Type", "application/json; charset=utf-8")
                .header(SIGNATURE, "t=" + t + ",v1=" + sign(settings.secret(), t, body))
                .header(EVENT_ID, event.eventId())
                .header("Idempotency-Key", event.eventId())
                .POST(ChannelHttp.json(body)).build();
        String what = "webhook POST " + settings.url().getScheme() + "://" + settings.url().getAuthority()
                + settings.url().getPath();
        return switch (http.send(req)) {
            case ChannelHttp.Result.Failed f -> new Delivery.RetryLater(Optional.empty(), "webhook " + f.reason());
            case ChannelHttp.Result.Response r when ChannelHttp.isSuccess(r.status()) ->
                    new Delivery.Delivered("HTTP " + r.status());
            case ChannelHttp.Result.Response r -> http.failure(r, what, hint(r.status()));
        };
    }

    private static String hint(int status) {
        if (status >= 300 && status < 400) {
            return "redirects are not followed: set SMTP_ASSISTANT_WEBHOOK_URL to the final address";
        }
        if (status == 401 || status == 403) {
            return "the receiver refused the call: check that SMTP_ASSISTANT_WEBHOOK_SECRET is the receiver's secret";
        }
        return "check SMTP_ASSISTANT_WEBHOOK_URL and the receiver";
    }

    /** {@code hex(HMAC-SHA256(secret, timestamp + "." + body))}. */
    public static String sign(Secret secret, long timestamp, String body) {
        char[] chars = secret.reveal();
        byte[] key = new String(chars).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(chars, '\0');
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The JSON body for an event: the event, and the request as it is now. */
    String body(SupportEvent e, SupportRequest r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("id", e.eventId());
        root.put("type", e.type().name().toLowerCase(Locale.ROOT));
        root.put("sequence", e.sequence());
        root.put("at", e.at().toString());
        ObjectNode actor = root.putObject("actor");
        actor.put("platform", e.actor().platform());
        actor.put("id", e.actor().id());
        actor.put("name", e.actor().name());
        root.put("text", e.text());
        root.put("summary", Evidence.headline(e));

        ObjectNode req = root.putObject("request");
        req.put("id", r.id());
        req.put("status", r.status().id());
        if (r.assignee().isPresent()) {
            req.put("assignee", r.assignee().get());
        } else {
            req.putNull("assignee");
        }
        req.put("summary", r.summary());
        req.put("created_at", r.createdAt().toString());
        ObjectNode who = req.putObject("requester");
        who.put("platform", r.requester().platform());
        who.put("user_id", r.requester().userId());
        who.put("display_name", r.requester().displayName());
        who.put("email", r.requester().email());
        who.put("workspace", r.requester().workspace());
        ObjectNode s = req.putObject("settings");
        s.put("host", r.settings().host());
        if (r.settings().port() == CheckRequest.AUTO_PORT) {
            s.putNull("port");
        } else {
            s.put("port", r.settings().port());
        }
        s.put("security", r.settings().security().id());
        s.put("username", r.settings().username());
        s.put("sender", r.settings().sender());
        s.put("recipient", r.settings().recipient());
        s.put("send_test_message", r.settings().sendTestMessage());
        if (r.lastCheck().isPresent()) {
            check(req.putObject("check"), r.lastCheck().get());
        } else {
            req.putNull("check");
        }
        ArrayNode path = req.putArray("tree_path");
        for (TreeStep step : r.treePath()) {
            path.addObject().put("node", step.nodeId()).put("answer", step.answer());
        }
        req.put("note", r.note());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a JSON tree always serialises", ex);
        }
    }

    private void check(ObjectNode out, CheckSnapshot c) {
        out.put("diagnosis", c.diagnosis().name());
        out.put("title", evidence.title(c));
        if (c.failedStage().isPresent()) {
            out.put("failed_stage", c.failedStage().get().id());
        } else {
            out.putNull("failed_stage");
        }
        out.put("provider", c.providerId());
        out.put("rule", c.ruleId());
        out.put("started_at", c.startedAt().toString());
        out.put("total_millis", c.totalMillis());
        out.putObject("target").put("host", c.target().host()).put("address", c.target().address())
                .put("port", c.target().port()).put("security", c.target().security().id());
        ArrayNode findings = out.putArray("findings");
        for (CheckSnapshot.FindingLine f : c.findings()) {
            findings.addObject().put("code", f.code().name()).put("stage", f.stage().id()).put("text", evidence.explain(f.explanation()));
        }
        ArrayNode stages = out.putArray("stages");
        for (CheckSnapshot.StageLine l : c.stages()) {
            ObjectNode st = stages.addObject().put("stage", l.stage().id()).put("status", l.status().id()).put("millis", l.millis());
            if (l.reply().isPresent()) {
                st.putObject("reply").put("code", l.reply().get().code()).put("enhanced", l.reply().get().enhanced())
                        .put("text", l.reply().get().text());
            } else {
                st.putNull("reply");
            }
            st.put("text", evidence.explain(l.explanation()));
        }
        ArrayNode transcript = out.putArray("transcript");
        for (CheckSnapshot.Line l : c.transcript()) {
            transcript.addObject().put("at_millis", l.atMillis()).put("direction", l.direction().name().toLowerCase(Locale.ROOT))
                    .put("text", l.text());
        }
    }
}
