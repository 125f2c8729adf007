package io.smtpassistant.core.support.channel;

import io.smtpassistant.core.support.Delivery;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP side shared by the Zendesk and webhook channels: one JDK {@link HttpClient} with bounded
 * connect and request timeouts, and the mapping of what happened to a {@link Delivery}. Transport
 * failures (refused, timed out, reset, unknown host) are values, never exceptions.
 */
final class ChannelHttp {

    /** What one exchange gave: a response, or a transport failure described in one line. */
    sealed interface Result {
        record Response(int status, HttpResponse<String> raw) implements Result {
            String body() {
                return raw.body() == null ? "" : raw.body();
            }

            Optional<String> header(String name) {
                return raw.headers().firstValue(name);
            }
        }

        record Failed(String reason) implements Result {
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private final Clock clock;

    ChannelHttp(Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", "smtp-assistant");
    }

    static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    }

    /** Sends and waits (bounded by the timeouts); an interrupt is kept and reported as a failure. */
    Result send(HttpRequest request) {
        String where = request.method() + " " + request.uri().getScheme() + "://" + request.uri().getAuthority()
                + request.uri().getPath();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Result.Response(r.statusCode(), r);
        } catch (HttpConnectTimeoutException e) {
            return new Result.Failed(where + ": no connection within the connect timeout");
        } catch (HttpTimeoutException e) {
            return new Result.Failed(where + ": no answer within " + requestTimeout.toSeconds() + " s");
        } catch (ConnectException e) {
            return new Result.Failed(where + ": connection refused or unreachable");
        } catch (IOException e) {
            return new Result.Failed(where + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + shorten(e.getMessage(), 120)));
        } catch (UnresolvedAddressException e) {
            return new Result.Failed(where + ": the host name does not resolve");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed(where + ": interrupted");
        }
    }

    /**
     * The {@code Retry-After} of a response: seconds, or an HTTP date (RFC 9110 §10.2.3) relative to the
     * injected clock; empty when absent or unreadable.
     */
    Optional<Duration> retryAfter(Result.Response r) {
        Optional<String> v = r.header("Retry-After").map(String::strip);
        if (v.isEmpty() || v.get().isEmpty()) {
            return Optional.empty();
        }
        String s = v.get();
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(s)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The usual reading of a status that is not a success: 408, 409, 425, 429 and 5xx pass (retry,
     * honouring {@code Retry-After}); other 4xx will not mend by themselves.
     *
     * @param what e.g. {@code Zendesk POST /api/v2/tickets.json}
     * @param hint what to fix for a 4xx, appended to the reason
     */
    Delivery failure(Result.Response r, String what, String hint) {
        int s = r.status();
        if (s == 408 || s == 409 || s == 425 || s == 429 || s >= 500) {
            return new Delivery.RetryLater(retryAfter(r), what + " answered " + s + (s == 429 ? " (rate limited)" : ""));
        }
        return new Delivery.Rejected(what + " answered " + s + detail(r) + (hint.isEmpty() ? "" : "; " + hint));
    }

    /** A short, single-line excerpt of an error body, for reasons (never echoes our own request). */
    static String detail(Result.Response r) {
        String b = r.body().strip();
        if (b.isEmpty()) {
            return "";
        }
        return ": " + shorten(Evidence.visible(b).replaceAll("\\s+", " "), 160);
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    static boolean isLoopback(URI uri) {
        String h = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1") || h.startsWith("127.");
    }
}
