package io.smtpassistant.testkit;

import java.time.Duration;
import java.util.List;

/**
 * A recording receiver (a fake helpdesk, a webhook endpoint) that misbehaves on request, the way real
 * receivers do: 429 with {@code Retry-After}, 5xx, hanging calls, refused connections. Implementations
 * only name their {@link FaultyHttpServer}.
 */
public interface MisbehavingReceiver {

    /** The server behind the receiver. */
    FaultyHttpServer server();

    /** The next {@code times} calls get 429 with {@code Retry-After: seconds}. */
    default void tooManyRequests(int times, long retryAfterSeconds) {
        server().fail(new FaultyHttpServer.Fault.TooManyRequests(retryAfterSeconds), times);
    }

    /** The next {@code times} calls get {@code status} (a 5xx). */
    default void serverError(int times, int status) {
        server().fail(new FaultyHttpServer.Fault.ServerError(status), times);
    }

    /** The next {@code times} calls are accepted and then left unanswered for {@code duration}. */
    default void hang(int times, Duration duration) {
        server().fail(new FaultyHttpServer.Fault.Hang(duration), times);
    }

    /** Connections are refused until {@link #resume()}. */
    default void refuse() {
        server().refuse();
    }

    /** Connections are accepted again. */
    default void resume() {
        server().resume();
    }

    /** Every call so far, in arrival order (also the refused and the faulty ones). */
    default List<RecordingHttpServer.Recorded> requests() {
        return server().requests();
    }
}
