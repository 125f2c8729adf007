package io.smtpassistant.core.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.core.check.Secret;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device authorization grant (RFC 8628) against Microsoft identity, by hand with the JDK HTTP client
 * and Jackson.
 *
 * <p><b>Why not msal4j.</b> The issue asks for a well-kept library where it can be pointed at a local test
 * authority. msal4j 1.x was read for this (its {@code AcquireTokenByDeviceCodeFlowSupplier}) and does not fit:
 * <ul>
 *   <li>it treats {@code slow_down} as a failure instead of slowing down, against RFC 8628 section 3.5;</li>
 *   <li>it sleeps a whole {@code interval} with {@code TimeUnit.SECONDS.sleep} on the system clock and looks at
 *       cancellation only between polls, so a cancel waits up to the interval (5 s and more) and the tests
 *       would have to wait in real time: no injectable clock or sleeper;</li>
 *   <li>it always adds {@code offline_access} (with {@code openid profile}) to the scopes and keeps the refresh
 *       token in its token cache, while we must not request or keep one;</li>
 *   <li>it runs instance discovery against {@code login.microsoftonline.com} for an unknown authority host
 *       unless switched off, which is one more behaviour to defeat for a local authority.</li>
 * </ul>
 * The Nimbus OAuth 2.0 SDK has the request/response types but no polling, and would add two jars for two
 * form POSTs. What is left by hand is small: two form POSTs, the polling loop, and the error mapping.
 *
 * <p><b>Contract.</b> Blocking; run it on an effect's virtual thread. Polls at the platform's {@code interval}
 * (5 s when it gives none), 5 s more after each {@code slow_down}, until the code's {@code expires_in} has
 * passed; looks at {@code cancelled} at least once a second (through the injected {@link Sleeper}, never
 * in longer naps). Requests {@code https://outlook.office.com/SMTP.Send openid profile}: the OpenID scopes only
 * for the signed-in user's name in the id token, no {@code offline_access}, so no refresh token is issued; if
 * one comes anyway it is not read.
 *
 * <p><b>Secrets.</b> The access token becomes a {@link Secret} at once. The {@code device_code} is a bearer
 * value for polling (whoever holds it receives the token), so it is kept as a {@link Secret} too and only
 * revealed into the form body of each poll. Neither ever reaches a log line, an exception or a result's text.
 * The id token is decoded without signature validation: it came straight from the token endpoint over a
 * validated TLS connection (OpenID Connect Core 1.0, section 3.1.3.7) and only names the account for display.
 *
 * <p>Thread-safe: an instance holds no per-sign-in state; concurrent sign-ins are independent.
 */
public final class MicrosoftDeviceCodeSignIn implements DeviceCodeSignIn {

    /** What is requested: the SMTP scope, and the OpenID scopes for the account name. */
    public static final String SCOPES = SMTP_SCOPE + " openid profile";
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private static final Logger LOG = LoggerFactory.getLogger(MicrosoftDeviceCodeSignIn.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final Duration MAX_NAP = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits; injected so tests move a fake clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits about {@code duration} (never asked for more than a second). */
        void sleep(Duration duration) throws InterruptedException;

        /** {@link Thread#sleep(Duration)}. */
        static Sleeper real() {
            return Thread::sleep;
        }
    }

    private final MicrosoftSignInConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;

    /**
     * @param http    the client for the identity platform; production passes {@link #defaultHttpClient()}, tests a
     *                client whose SSLContext trusts their test CA
     * @param clock   tells when the code expires and when to poll next
     * @param sleeper waits between looks at {@code cancelled}; must agree with {@code clock}
     */
    public MicrosoftDeviceCodeSignIn(MicrosoftSignInConfig config, HttpClient http, Clock clock, Sleeper sleeper) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** For production: the JVM's trusted CAs, the system clock, real sleeping. */
    public static MicrosoftDeviceCodeSignIn create(MicrosoftSignInConfig config) {
        return new MicrosoftDeviceCodeSignIn(config, defaultHttpClient(), Clock.systemUTC(), Sleeper.real());
    }

    /** HTTP/1.1 or 2, no redirects (an identity endpoint that redirects is misconfigured), 10 s to connect. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public SignInResult signIn(String loginHint, Consumer<DeviceCode> onCode, BooleanSupplier cancelled)
            throws InterruptedException {
        Objects.requireNonNull(onCode, "onCode");
        Objects.requireNonNull(cancelled, "cancelled");
        if (cancelled.getAsBoolean()) {
            return new SignInResult.Cancelled();
        }
        Instant started = clock.instant();
        Answer codeAnswer = post(config.deviceCodeEndpoint(), Map.of("client_id", config.clientId(), "scope", SCOPES));
        if (!(codeAnswer instanceof Answer.Json codeJson) || codeJson.status() != 200) {
            SignInResult.Failed failed = failure(codeAnswer);
            LOG.info("Microsoft sign-in: {} refused the device code request: {} ({})", config.host(), failed.errorCode(), failed.failure());
            return failed;
        }
        Issued issued = Issued.from(codeJson.body(), started);
        if (issued == null) {
            return new SignInResult.Failed(SignInFailure.UNREACHABLE, "",
                    config.host() + " answered the device code request without device_code, user_code or verification_uri");
        }
        try {
            onCode.accept(issued.shown());
            LOG.info("Microsoft sign-in: code issued by {}, valid for {} s, polling every {} s", config.host(),
                    Duration.between(started, issued.shown().expiresAt()).toSeconds(), issued.interval().toSeconds());
            return poll(issued, cancelled);
        } finally {
            issued.deviceCode().clear();
        }
    }

    private SignInResult poll(Issued issued, BooleanSupplier cancelled) throws InterruptedException {
        Duration interval = issued.interval();
        Instant expiresAt = issued.shown().expiresAt();
        Instant next = clock.instant().plus(interval);
        int polls = 0;
        while (true) {
            SignInResult waited = waitUntil(next, expiresAt, cancelled);
            if (waited != null) {
                return ended(polls, waited);
            }
            polls++;
            char[] code = issued.deviceCode().reveal();
            Answer answer;
            try {
                answer = post(config.tokenEndpoint(), Map.of("grant_type", DEVICE_CODE_GRANT, "client_id", config.clientId()),
                        "device_code", code);
            } finally {
                Arrays.fill(code, '\0');
            }
            if (answer instanceof Answer.Json json && json.status() == 200) {
                return ended(polls, signedIn(json.body()));
            }
            String error = answer instanceof Answer.Json json ? json.body().path("error").asText("") : "";
            switch (error) {
                case "authorization_pending" -> next = clock.instant().plus(interval);
                case "slow_down" -> {
                    interval = interval.plus(SLOW_DOWN_STEP);
                    LOG.info("Microsoft sign-in: {} asked to slow down; polling every {} s now", config.host(), interval.toSeconds());
                    next = clock.instant().plus(interval);
                }
                default -> {
                    return ended(polls, scrubbed(failure(answer), issued.deviceCode()));
                }
            }
        }
    }

    /** Logs how the sign-in ended, without the account's name or any token. */
    private SignInResult ended(int polls, SignInResult result) {
        String outcome = switch (result) {
            case SignInResult.SignedIn s -> "signed in";
            case SignInResult.Cancelled c -> "cancelled";
            case SignInResult.Failed f -> "failed, " + f.failure() + " " + f.errorCode();
        };
        LOG.info("Microsoft sign-in at {}: {} after {} polls", config.host(), outcome, polls);
        return result;
    }

    /** Naps of at most a second until {@code next}; a result when cancelled or expired meanwhile, else null. */
    private SignInResult waitUntil(Instant next, Instant expiresAt, BooleanSupplier cancelled) throws InterruptedException {
        while (true) {
            if (cancelled.getAsBoolean()) {
                return new SignInResult.Cancelled();
            }
            Instant now = clock.instant();
            if (!now.isBefore(expiresAt)) {
                return new SignInResult.Failed(SignInFailure.EXPIRED, "expired_token",
                        "the code expired before the sign-in was completed");
            }
            if (!now.isBefore(next)) {
                return null;
            }
            Duration left = Duration.between(now, next.isBefore(expiresAt) ? next : expiresAt);
            sleeper.sleep(left.compareTo(MAX_NAP) > 0 ? MAX_NAP : left);
        }
    }

    private SignInResult signedIn(JsonNode body) {
        JsonNode token = body.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            return new SignInResult.Failed(SignInFailure.UNREACHABLE, "",
                    config.host() + " answered the token request without an access_token");
        }
        return new SignInResult.SignedIn(Secret.of(token.asText()), account(body.path("id_token").asText("")));
    }

    /** {@code preferred_username} (else {@code upn}, else {@code email}) from the id token's payload, or "". */
    static String account(String idToken) {
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return "";
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            for (String claim : new String[] {"preferred_username", "upn", "email"}) {
                String v = claims.path(claim).asText("").strip();
                if (!v.isEmpty() && v.chars().noneMatch(Character::isISOControl)) {
                    return v.length() > 254 ? v.substring(0, 254) : v;
                }
            }
            return "";
        } catch (IOException | IllegalArgumentException garbled) {
            return "";
        }
    }

    private SignInResult.Failed failure(Answer answer) {
        return switch (answer) {
            case Answer.Unreachable u -> new SignInResult.Failed(SignInFailure.UNREACHABLE, "", u.why());
            case Answer.Json json when json.body().hasNonNull("error") -> {
                JsonNode b = json.body();
                JsonNode codes = b.path("error_codes");
                long aadsts = codes.isArray() && !codes.isEmpty() ? codes.get(0).asLong(-1) : -1;
                yield IdentityErrors.failed(b.path("error").asText(""), aadsts, b.path("error_description").asText(""),
                        supportIds(b));
            }
            case Answer.Json json -> new SignInResult.Failed(SignInFailure.UNREACHABLE, "http " + json.status(),
                    config.host() + " answered HTTP " + json.status() + " without an OAuth error");
        };
    }

    /** The failure without the device code, should the platform ever echo it in its error text. */
    private static SignInResult.Failed scrubbed(SignInResult.Failed failed, Secret deviceCode) {
        String code = new String(deviceCode.reveal());
        if (code.isEmpty() || !failed.detail().contains(code)) {
            return failed;
        }
        return new SignInResult.Failed(failed.failure(), failed.errorCode(), failed.detail().replace(code, "***"));
    }

    private static String supportIds(JsonNode body) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String key : new String[] {"trace_id", "correlation_id"}) {
            String v = body.path(key).asText("");
            if (v.matches("[0-9a-fA-F-]{8,64}")) {
                ids.put(key, v);
            }
        }
        return ids.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** A form POST; {@code secretName}/{@code secretValue}, when given, go into the body and nowhere else. */
    private Answer post(URI endpoint, Map<String, String> form) throws InterruptedException {
        return post(endpoint, form, null, null);
    }

    private Answer post(URI endpoint, Map<String, String> form, String secretName, char[] secretValue)
            throws InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> append(body, k, v));
        if (secretName != null) {
            append(body, secretName, new String(secretValue));
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        body.setLength(0);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            try {
                return new Answer.Json(response.statusCode(), JSON.readTree(response.body()));
            } catch (JsonProcessingException notJson) {
                return new Answer.Unreachable(endpoint.getHost() + " answered HTTP " + response.statusCode() + " that is not JSON");
            }
        } catch (IOException e) {
            // The JDK's messages name the host and the TLS or socket problem, never the request body.
            return new Answer.Unreachable(endpoint.getHost() + " cannot be reached: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void append(StringBuilder body, String key, String value) {
        if (!body.isEmpty()) {
            body.append('&');
        }
        body.append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** What an endpoint answered. */
    private sealed interface Answer {
        record Json(int status, JsonNode body) implements Answer {
        }

        record Unreachable(String why) implements Answer {
        }
    }

    /** A device code response: what the user is shown, the polling secret, and the interval. */
    private record Issued(DeviceCode shown, Secret deviceCode, Duration interval) {

        @Override
        public String toString() {
            return "Issued[" + shown + ", deviceCode=***, interval=" + interval + "]";
        }

        static Issued from(JsonNode body, Instant now) {
            String deviceCode = body.path("device_code").asText("");
            String userCode = body.path("user_code").asText("");
            // v2.0 says verification_uri; the older v1 endpoint said verification_url
            String uri = body.path("verification_uri").asText(body.path("verification_url").asText(""));
            if (deviceCode.isEmpty() || userCode.isEmpty() || uri.isEmpty()) {
                return null;
            }
            long expiresIn = body.path("expires_in").asLong(900);
            long interval = body.path("interval").asLong(DEFAULT_INTERVAL.toSeconds());
            return new Issued(new DeviceCode(uri, userCode, now.plusSeconds(Math.max(1, expiresIn))),
                    Secret.of(deviceCode), Duration.ofSeconds(Math.max(1, interval)));
        }
    }
}
