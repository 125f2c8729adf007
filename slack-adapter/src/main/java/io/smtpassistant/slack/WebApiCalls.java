package io.smtpassistant.slack;

import io.smtpassistant.core.shared.Meters;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Web API call, and runs it again when Slack asks for that or when a repeat cannot do
 * harm, within fixed bounds. Never throws: a call that does not succeed is logged with the method
 * and the reason (Slack's error code, the HTTP status or the exception's class, never the message
 * text or the token) and reported as an empty result.
 *
 * <p><b>What is repeated.</b>
 * <ul>
 * <li>HTTP 429, and {@code ok:false} with {@code ratelimited} or {@code rate_limited}: Slack refused
 *     the request without acting on it, so any method may send it again. The wait is
 *     {@code Retry-After} (seconds) plus a jitter of up to {@link Bounds#jitter}, so that calls
 *     limited together do not all come back in the same instant; without the header, the backoff.
 * <li>A connection that was never made ({@link ConnectException}, {@link UnknownHostException},
 *     {@link NoRouteToHostException}): nothing reached Slack, so any method may send it again.
 * <li>HTTP 500, 502, 503, 504 and any other I/O failure (a timeout, a reset): Slack may have acted
 *     before the answer was lost, so these are repeated only for {@link Effect#IDEMPOTENT} calls.
 *     chat.postMessage, chat.postEphemeral and views.open are {@link Effect#ONCE}: a repeat could
 *     show a message twice, and Slack offers no idempotency key for them. Slack's SDKs draw the same
 *     line: Bolt's {@code AsyncMethodsClient} repeats only 429s (its sync {@code MethodsClient},
 *     which we use, repeats nothing), and python-slack-sdk repeats connection resets and, on request,
 *     429s, but ships no server-error retry by default.
 * </ul>
 * Every other answer is final ({@code ok:false} with any other error, other 4xx).
 *
 * <p><b>Bounds.</b> At most {@link Bounds#attempts} attempts, and no wait starts that would end later
 * than {@link Bounds#budget} after the first attempt began: a {@code Retry-After} beyond what is left
 * gives up at once (waiting less would only be refused again). So one call waits at most the budget
 * (30 s by default) in all, plus the HTTP time of its attempts (OkHttp's timeouts bound each).
 *
 * <p><b>Threads.</b> A wait blocks the calling thread, so callers are virtual threads after the ack
 * (never the thread that acks Slack, never a conversation turn) and hold no monitor while calling: on
 * JDK 21 a virtual thread that sleeps inside {@code synchronized} pins its carrier thread, and enough
 * pinned carriers would stall the HTTP server's virtual threads, acks included. Thread-safe.
 */
final class WebApiCalls {

    private static final Logger LOG = LoggerFactory.getLogger(WebApiCalls.class);
    private static final Set<String> RATE_LIMITED = Set.of("ratelimited", "rate_limited");
    private static final Set<Integer> SERVER_ERRORS = Set.of(500, 502, 503, 504);

    /** Whether Slack may act twice on a repeated request. */
    enum Effect {
        /** A repeat could post again: repeated only when Slack surely did not act. */
        ONCE,
        /** A repeat sets the same state or reads again. */
        IDEMPOTENT
    }

    /** Waits; production sleeps, tests record and move a fake clock. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    @FunctionalInterface
    interface ApiCall<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /**
     * @param attempts at most this many calls in all (the first one included)
     * @param budget   no wait ends later than this after the first attempt began
     * @param backoff  the first wait when Slack names none (doubled per attempt)
     * @param jitter   at most this much is added to each wait, at random
     */
    record Bounds(int attempts, Duration budget, Duration backoff, Duration jitter) {
        static final Bounds DEFAULT = new Bounds(4, Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMillis(500));
    }

    /** What kind of failure an attempt met; decides whether a repeat may help and may not harm. */
    enum Kind {
        /** Slack refused without acting (429, {@code ratelimited}): any call may be repeated. */
        RATE_LIMITED,
        /** The connection was never made: nothing reached Slack. */
        NOT_SENT,
        /** A 5xx or an I/O failure after sending, or one of Slack's own transient errors: Slack may have acted. */
        PASSING,
        /** Any other answer: a repeat gets the same answer. */
        FINAL
    }

    /**
     * The answer to one attempt, for callers that schedule their own retries (the support desk,
     * driven by the outbox relay, which honours {@code retryAfter}).
     */
    sealed interface Answer<T> {
        /** Slack said {@code ok}. */
        record Ok<T>(T response) implements Answer<T> {
        }

        /**
         * Slack did not act, or may not have.
         *
         * @param error      Slack's error code ({@code not_in_channel}, …), or "" when there was none (HTTP, I/O)
         * @param reason     one line: the error code, {@code HTTP 503} or the exception's class; never a token or text
         * @param retryAfter what Slack asked for ({@code Retry-After}), or null
         */
        record Failed<T>(String error, String reason, Kind kind, Duration retryAfter) implements Answer<T> {
        }
    }

    /** Slack's own errors that mean "try again later" (its docs list them for every method). */
    private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout");

    private final Bounds bounds;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    WebApiCalls(Bounds bounds, LongSupplier nanoTime, Sleeper sleeper, DoubleSupplier random) {
        this.bounds = bounds;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** The production setup: {@link Bounds#DEFAULT}, the system clock, real sleeps. */
    static WebApiCalls standard() {
        return new WebApiCalls(Bounds.DEFAULT, System::nanoTime, Thread::sleep, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Calls Slack (again, as described above); the response when it is {@code ok}. */
    <T extends SlackApiTextResponse> Optional<T> call(String method, Effect effect, ApiCall<T> call) {
        long start = nanoTime.getAsLong();
        for (int attempt = 1; ; attempt++) {
            Answer<T> answer = once(method, call);
            if (answer instanceof Answer.Ok<T> ok) {
                return Optional.of(ok.response());
            }
            Answer.Failed<T> f = (Answer.Failed<T>) answer;
            boolean repeatable = switch (f.kind()) {
                case RATE_LIMITED, NOT_SENT -> true;
                case PASSING -> effect == Effect.IDEMPOTENT && f.error().isEmpty(); // Slack's own error codes were final before as well
                case FINAL -> false;
            };
            if (!repeatable) {
                LOG.warn("Slack {} failed: {}{}", method, f.reason(), attempt > 1 ? " (attempt " + attempt + ")" : "");
                return Optional.empty();
            }
            Duration wait = (f.retryAfter() != null ? f.retryAfter() : bounds.backoff().multipliedBy(1L << Math.min(attempt - 1, 16)))
                    .plusNanos((long) (bounds.jitter().toNanos() * random.getAsDouble()));
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            if (attempt >= bounds.attempts()) {
                LOG.warn("Slack {} failed: {}; gave up after {} attempts", method, f.reason(), attempt);
                return Optional.empty();
            }
            if (elapsed.plus(wait).compareTo(bounds.budget()) > 0) {
                LOG.warn("Slack {} failed: {}; not tried again: waiting {} ms would pass the {} s budget (attempt {})",
                        method, f.reason(), wait.toMillis(), bounds.budget().toSeconds(), attempt);
                return Optional.empty();
            }
            LOG.info("Slack {} failed: {}; attempt {} of {} in {} ms", method, f.reason(), attempt + 1, bounds.attempts(),
                    wait.toMillis());
            Meters.apiRetry("slack", method);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                LOG.warn("Slack {} failed: {}; interrupted while waiting to try again", method, f.reason());
                return Optional.empty();
            }
        }
    }

    /**
     * One attempt, never repeated here, never throwing: the caller decides what a failure means
     * ({@link Kind}) and when to try again.
     */
    <T extends SlackApiTextResponse> Answer<T> once(String method, ApiCall<T> call) {
        Answer<T> answer = attempt(method, call);
        Meters.apiCall("slack", method, switch (answer) {
            case Answer.Ok<T> ok -> "ok";
            case Answer.Failed<T> f -> f.kind().name();
        });
        return answer;
    }

    private <T extends SlackApiTextResponse> Answer<T> attempt(String method, ApiCall<T> call) {
        try {
            T r = call.run();
            if (r.isOk()) {
                return new Answer.Ok<>(r);
            }
            String error = r.getError() == null ? "" : r.getError();
            Kind kind = RATE_LIMITED.contains(error) ? Kind.RATE_LIMITED : TRANSIENT.contains(error) ? Kind.PASSING : Kind.FINAL;
            return new Answer.Failed<>(error, error, kind, retryAfter(header(r.getHttpResponseHeaders())));
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            Kind kind = status == 429 ? Kind.RATE_LIMITED : SERVER_ERRORS.contains(status) ? Kind.PASSING : Kind.FINAL;
            return new Answer.Failed<>("", "HTTP " + status, kind, retryAfter(e.getResponse().header("Retry-After")));
        } catch (ConnectException | UnknownHostException | NoRouteToHostException neverSent) {
            return new Answer.Failed<>("", neverSent.getClass().getSimpleName(), Kind.NOT_SENT, null);
        } catch (IOException e) {
            return new Answer.Failed<>("", e.getClass().getSimpleName(), Kind.PASSING, null);
        } catch (RuntimeException e) {
            LOG.warn("Slack {} failed", method, e);
            return new Answer.Failed<>("", e.getClass().getSimpleName(), Kind.FINAL, null);
        }
    }

    /** Slack sends whole seconds; anything else counts as no header (then the backoff applies). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }

    private static String header(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (var h : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(h.getKey()) && h.getValue() != null && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }
}
