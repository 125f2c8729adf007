package io.smtpassistant.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A recording receiver of smtp-assistant's support webhooks on 127.0.0.1, written as a customer
 * would write one from {@code docs/support-events.md}: it verifies
 * {@code X-SmtpAssistant-Signature: t=…,v1=…} (HMAC-SHA256 over {@code t + "." + body}, at most 5
 * minutes old; otherwise 401), de-duplicates by the event id, and keeps each event once. It can be
 * told to answer another status, 429 with {@code Retry-After}, 5xx, to hang, or to refuse
 * connections. Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable, MisbehavingReceiver {

    /** An event as first received. */
    public record Received(String eventId, String type, String requestId, long sequence, JsonNode body,
                           Map<String, String> headers) {
    }

    public static final String PATH = "/hooks/support";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] secret;
    private final Clock clock;
    private final FaultyHttpServer http;
    private final Map<String, Received> events = new LinkedHashMap<>();
    private int deliveries;
    private int duplicates;
    private int badSignatures;
    private volatile int status = 200;

    private WebhookReceiver(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.http = new FaultyHttpServer(this::answer);
    }

    /** A receiver that checks signatures with {@code secret} and the age of the timestamp against {@code clock}. */
    public static WebhookReceiver start(String secret, Clock clock) {
        return new WebhookReceiver(secret, clock);
    }

    /** The URL to configure ({@code SMTP_ASSISTANT_WEBHOOK_URL}). */
    public String url() {
        return http.baseUrl() + PATH;
    }

    /** Correctly signed calls are answered with {@code status} from now on (default 200). */
    public void respondWith(int status) {
        this.status = status;
    }

    /** Each event once, in order of first arrival. */
    public synchronized List<Received> events() {
        return new ArrayList<>(events.values());
    }

    /** Correctly signed calls answered with 2xx, duplicates included. */
    public synchronized int deliveries() {
        return deliveries;
    }

    /** Correctly signed calls for an event id already received. */
    public synchronized int duplicates() {
        return duplicates;
    }

    /** Calls refused for a missing, wrong or stale signature. */
    public synchronized int badSignatures() {
        return badSignatures;
    }

    private RecordingHttpServer.Response answer(RecordingHttpServer.Recorded r) {
        if (!r.method().equals("POST") || !r.path().equals(PATH)) {
            return new RecordingHttpServer.Response(404, "text/plain", "not here", Map.of());
        }
        String header = r.headers().getOrDefault("x-smtpassistant-signature", "");
        if (!verified(header, r.body())) {
            synchronized (this) {
                badSignatures++;
            }
            return new RecordingHttpServer.Response(401, "text/plain", "bad signature", Map.of());
        }
        int answer = status;
        if (answer < 200 || answer >= 300) {
            return new RecordingHttpServer.Response(answer, "text/plain", "scripted " + answer, Map.of());
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            return new RecordingHttpServer.Response(400, "text/plain", "not JSON", Map.of());
        }
        String id = body.path("id").asText("");
        synchronized (this) {
            deliveries++;
            if (events.containsKey(id)) {
                duplicates++;
            } else {
                events.put(id, new Received(id, body.path("type").asText(), body.path("request").path("id").asText(),
                        body.path("sequence").asLong(), body, r.headers()));
            }
        }
        return new RecordingHttpServer.Response(200, "application/json", "{\"ok\":true}", Map.of());
    }

    private boolean verified(String header, String body) {
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String p = part.strip();
            if (p.startsWith("t=")) {
                t = p.substring(2);
            } else if (p.startsWith("v1=")) {
                v1 = p.substring(3);
            }
        }
        if (t == null || v1 == null || !t.matches("\\d{1,12}")) {
            return false;
        }
        long age = clock.instant().getEpochSecond() - Long.parseLong(t);
        if (Math.abs(age) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), v1.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
