package io.smtpassistant.core.shared;

import io.smtpassistant.core.engine.ConversationKey;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * The ids every log line of a piece of work carries (SLF4J's MDC; the app's text and JSON logs print them):
 * {@value #REQUEST} for one HTTP request the app received, {@value #CONVERSATION} for one conversation
 * ({@link ConversationKey#logId()}), {@value #SUPPORT_REQUEST} for the support request an outbox delivery is for.
 * Work handed to another thread takes the ids along with {@link #carry}.
 */
public final class LogContext {

    /** The HTTP request's id; also the {@code X-Request-Id} the app answers with. */
    public static final String REQUEST = "request_id";
    /** The conversation's opaque id. */
    public static final String CONVERSATION = "conversation_id";
    /** The support request's id (SR-…). */
    public static final String SUPPORT_REQUEST = "support_request";

    private LogContext() {
    }

    /** A new request id: 12 hex digits, random. */
    public static String newRequestId() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL);
    }

    /**
     * An id that came from outside (a caller's {@code X-Request-Id}) when it is short and plain (letters, digits,
     * {@code - _ . :}; 1 to 64 characters), else empty: a log line must not take a header's arbitrary text.
     */
    public static java.util.Optional<String> plainId(String candidate) {
        return candidate != null && candidate.matches("[A-Za-z0-9._:-]{1,64}") ? java.util.Optional.of(candidate)
                : java.util.Optional.empty();
    }

    /** Sets {@code key} to {@code value} until the returned scope is closed, then puts back what was there. */
    public static Scope with(String key, String value) {
        String before = MDC.get(key);
        MDC.put(key, value);
        return () -> {
            if (before == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, before);
            }
        };
    }

    /** {@link #with} for a conversation's id. */
    public static Scope conversation(ConversationKey key) {
        return with(CONVERSATION, key.logId());
    }

    /** {@code work} to run on another thread with the ids this thread has now; see {@link #carry(ConversationKey, Runnable)}. */
    public static Runnable carry(Runnable work) {
        return carry(null, work);
    }

    /**
     * {@code work} to run on another thread with the ids this thread has now, plus the conversation's; the
     * running thread's own ids are put back afterwards (pooled threads carry nothing from one task to the next).
     */
    public static Runnable carry(ConversationKey key, Runnable work) {
        Map<String, String> now = MDC.getCopyOfContextMap();
        String conversation = key == null ? null : key.logId();
        return () -> {
            Map<String, String> before = MDC.getCopyOfContextMap();
            if (now == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(now);
            }
            if (conversation != null) {
                MDC.put(CONVERSATION, conversation);
            }
            try {
                work.run();
            } finally {
                if (before == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(before);
                }
            }
        };
    }

    /** Ends a {@link #with}; closing never fails. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
