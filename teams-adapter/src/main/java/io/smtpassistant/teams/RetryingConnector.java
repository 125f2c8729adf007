package io.smtpassistant.teams;

import io.smtpassistant.core.shared.Meters;
import com.microsoft.bot.schema.Activity;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries Bot Connector calls that Teams asks to repeat: 429 (throttled), 412, and 500/502/503/504,
 * with exponential backoff and full jitter, waiting at least what {@code Retry-After} says (capped).
 * The SDK retries only some 5xx, with no delay, and never 429 (see the research notes).
 *
 * <p>Blocks the calling thread while waiting; callers are the conversation runtime's reply lanes and
 * the support side's virtual threads. Sleeping is injected so tests need not wait.
 */
final class RetryingConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingConnector.class);
    private static final Set<Integer> RETRIED = Set.of(412, 429, 500, 502, 503, 504);

    /** Waits; tests record instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * @param attempts  at most this many calls in all
     * @param base      the first backoff (doubled per attempt, before jitter)
     * @param max       no single wait is longer (Retry-After is capped too)
     */
    record Policy(int attempts, Duration base, Duration max) {
        static Policy defaults() {
            return new Policy(5, Duration.ofMillis(500), Duration.ofSeconds(30));
        }

        /** The wait before attempt {@code attempt + 1} (attempt counts from 1), with jitter from {@code random} in [0,1). */
        Duration delay(int attempt, String retryAfter, double random) {
            long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
            long jittered = (long) (ceiling * random);
            long floor = retryAfterMillis(retryAfter);
            return Duration.ofMillis(Math.min(max.toMillis(), Math.max(jittered, floor)));
        }

        static long retryAfterMillis(String header) {
            if (header == null || header.isBlank()) {
                return 0;
            }
            String h = header.strip();
            try {
                return Math.max(0, (long) (Double.parseDouble(h) * 1000));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
                    return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
                } catch (DateTimeParseException bad) {
                    return 0;
                }
            }
        }
    }

    private final Connector delegate;
    private final Policy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    RetryingConnector(Connector delegate, Policy policy, Sleeper sleeper, DoubleSupplier random) {
        this.delegate = delegate;
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
    }

    RetryingConnector(Connector delegate) {
        this(delegate, Policy.defaults(), d -> Thread.sleep(d), () -> ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public String send(String serviceUrl, String conversationId, Activity activity) {
        return retry("send", () -> delegate.send(serviceUrl, conversationId, activity));
    }

    @Override
    public void update(String serviceUrl, String conversationId, String activityId, Activity activity) {
        retry("update", () -> {
            delegate.update(serviceUrl, conversationId, activityId, activity);
            return null;
        });
    }

    @Override
    public NewThread startThread(String serviceUrl, String channelId, String tenantId, Activity activity) {
        return retry("create conversation", () -> delegate.startThread(serviceUrl, channelId, tenantId, activity));
    }

    @Override
    public String personalChat(String serviceUrl, String tenantId, String botId, String userId) {
        return retry("create personal chat", () -> delegate.personalChat(serviceUrl, tenantId, botId, userId));
    }

    @Override
    public String memberEmail(String serviceUrl, String conversationId, String userId) {
        return retry("get member", () -> delegate.memberEmail(serviceUrl, conversationId, userId));
    }

    private <T> T retry(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            String method = what.replace(' ', '_');
            try {
                T answer = call.get();
                Meters.apiCall("teams", method, "ok");
                return answer;
            } catch (ConnectorException e) {
                Meters.apiCall("teams", method, "http_" + e.status());
                if (!RETRIED.contains(e.status()) || attempt >= policy.attempts()) {
                    throw e;
                }
                Meters.apiRetry("teams", method);
                Duration wait = policy.delay(attempt, e.retryAfter(), random.getAsDouble());
                LOG.info("Bot Connector {} answered {}; retry {} of {} in {} ms", what, e.status(), attempt,
                        policy.attempts() - 1, wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
