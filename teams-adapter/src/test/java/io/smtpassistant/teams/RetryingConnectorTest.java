package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.bot.schema.Activity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingConnectorTest {

    /** Fails with the given statuses first, then succeeds. */
    private static final class Flaky implements Connector {
        final List<Integer> failures;
        final String retryAfter;
        int calls;

        Flaky(String retryAfter, Integer... failures) {
            this.failures = new ArrayList<>(List.of(failures));
            this.retryAfter = retryAfter;
        }

        @Override
        public String send(String serviceUrl, String conversationId, Activity activity) {
            calls++;
            if (!failures.isEmpty()) {
                int status = failures.remove(0);
                throw new ConnectorException("send answered " + status, status, retryAfter, null);
            }
            return "id-1";
        }

        @Override
        public void update(String serviceUrl, String conversationId, String activityId, Activity activity) {
            send(serviceUrl, conversationId, activity);
        }

        @Override
        public NewThread startThread(String serviceUrl, String channelId, String tenantId, Activity activity) {
            return new NewThread(channelId, send(serviceUrl, channelId, activity));
        }

        @Override
        public String personalChat(String serviceUrl, String tenantId, String botId, String userId) {
            return send(serviceUrl, userId, null);
        }

        @Override
        public String memberEmail(String serviceUrl, String conversationId, String userId) {
            send(serviceUrl, conversationId, null);
            return "";
        }
    }

    private final List<Duration> waits = new ArrayList<>();
    private final RetryingConnector.Policy policy = new RetryingConnector.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(30));

    @Test
    void throttledThenOkWaitsAtLeastRetryAfter() {
        Flaky flaky = new Flaky("2", 429);
        String id = new RetryingConnector(flaky, policy, waits::add, () -> 0.0).send("u", "c", new Activity("message"));
        assertEquals("id-1", id);
        assertEquals(2, flaky.calls);
        assertEquals(List.of(Duration.ofSeconds(2)), waits, "Retry-After: 2 is honoured even with zero jitter");
    }

    @Test
    void serverErrorsBackOffExponentiallyWithJitterUpToTheLimit() {
        Flaky flaky = new Flaky(null, 503, 502, 504, 500);
        assertThrows(Connector.ConnectorException.class,
                () -> new RetryingConnector(flaky, policy, waits::add, () -> 0.5).update("u", "c", "a", new Activity("message")));
        assertEquals(4, flaky.calls, "at most the policy's attempts");
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)), waits,
                "half (the jitter) of 100, 200, 400 ms");
    }

    @Test
    void clientErrorsAreNotRetried() {
        Flaky flaky = new Flaky(null, 403);
        Connector.ConnectorException e = assertThrows(Connector.ConnectorException.class,
                () -> new RetryingConnector(flaky, policy, waits::add, () -> 0.5).send("u", "c", new Activity("message")));
        assertEquals(403, e.status());
        assertEquals(1, flaky.calls);
        assertTrue(waits.isEmpty());
    }

    @Test
    void retryAfterIsCappedAndReadAsSecondsOrDate() {
        assertEquals(Duration.ofSeconds(30), policy.delay(1, "3600", 0.0), "capped at the maximum");
        assertEquals(1500, RetryingConnector.Policy.retryAfterMillis("1.5"));
        assertEquals(0, RetryingConnector.Policy.retryAfterMillis("soon"));
        assertTrue(RetryingConnector.Policy.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT") == 0, "a past date means now");
    }
}
