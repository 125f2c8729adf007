package io.smtpassistant.core.shared;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.StageResult;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The product's meters, in one place: their names, their labels, and the calls that count. They go to
 * Micrometer's global registry once the server mode has {@linkplain #enable enabled} them and added its
 * Prometheus registry ({@code /metrics}); before that (the terminal chat, the CLI commands) every call
 * returns at once and no Micrometer class is loaded.
 *
 * <p><b>Labels.</b> Only values from closed sets: diagnosis codes, stage names, provider ids of the
 * knowledge files, platforms, support channel ids of the configuration, Web API method names of the
 * code, outcome words. {@link #label} keeps anything else out (a value that does not look like such an
 * id becomes {@code other}), so no address, name, host or secret can become a label.
 *
 * <p>The names and what they mean are listed in the README's Metrics section.
 */
public final class Meters {

    public static final String CHECKS = "smtp_assistant_checks";
    public static final String CHECK_STAGE = "smtp_assistant_check_stage";
    public static final String QUOTA_REFUSALS = "smtp_assistant_quota_refusals";
    public static final String TURNS = "smtp_assistant_turns";
    public static final String ESCALATIONS = "smtp_assistant_escalations";
    public static final String DELIVERIES = "smtp_assistant_support_deliveries";
    public static final String ACKS = "smtp_assistant_chat_acks";
    public static final String API_CALLS = "smtp_assistant_platform_api_calls";
    public static final String API_RETRIES = "smtp_assistant_platform_api_retries";
    public static final String STORE = "smtp_assistant_store";
    public static final String ACTIVE = "smtp_assistant_conversations_active";
    public static final String OUTBOX = "smtp_assistant_outbox_events";

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,47}");
    private static volatile boolean on;

    private Meters() {
    }

    /** Counting starts (the server mode, once it serves {@code /metrics}); until then every call returns at once. */
    public static void enable() {
        on = true;
    }

    private static MeterRegistry registry() {
        return Metrics.globalRegistry;
    }

    /** A label value from a closed set, lower case; {@code other} for anything that does not look like an id. */
    public static String label(String value) {
        if (value == null || value.isBlank()) {
            return "none";
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        return ID.matcher(v).matches() ? v : "other";
    }

    /** A check ended: counted by diagnosis and provider; each stage that ran is timed by name. */
    public static void check(CheckReport report, String platform) {
        if (!on) {
            return;
        }
        Counter.builder(CHECKS).description("SMTP checks by diagnosis code and provider")
                .tag("diagnosis", label(report.diagnosis().name())).tag("provider", label(report.providerId()))
                .tag("platform", label(platform)).register(registry()).increment();
        for (StageResult s : report.stages()) {
            Timer.builder(CHECK_STAGE).description("Duration of each stage of an SMTP check")
                    .tag("stage", label(s.stage().name())).tag("status", label(s.status().name()))
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry()).record(Duration.ofMillis(Math.max(0, s.millis())));
        }
    }

    /** A check or sign-in was refused by the per-user limit. */
    public static void quotaRefused(String what) {
        if (!on) {
            return;
        }
        Counter.builder(QUOTA_REFUSALS).description("Checks refused by the per-user limit")
                .tag("kind", label(what)).register(registry()).increment();
    }

    /** The engine took one input of a conversation. */
    public static void turn(String platform) {
        if (!on) {
            return;
        }
        Counter.builder(TURNS).description("Conversation turns").tag("platform", label(platform)).register(registry()).increment();
    }

    /** A support request was opened from a conversation. */
    public static void escalation(String platform) {
        if (!on) {
            return;
        }
        Counter.builder(ESCALATIONS).description("Support requests opened from a conversation")
                .tag("platform", label(platform)).register(registry()).increment();
    }

    /** One attempt to deliver a support event to a channel, and how it ended ({@code delivered}, {@code retry}, {@code parked}). */
    public static void delivery(String channel, String outcome) {
        if (!on) {
            return;
        }
        Counter.builder(DELIVERIES).description("Support event delivery attempts by channel and outcome")
                .tag("channel", label(channel)).tag("outcome", label(outcome)).register(registry()).increment();
    }

    /** A chat platform's request was acknowledged after {@code nanos}. */
    public static void ack(String platform, String status, long nanos) {
        if (!on) {
            return;
        }
        Timer.builder(ACKS).description("Time to acknowledge a chat platform's request")
                .tag("platform", label(platform)).tag("status", label(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry()).record(Duration.ofNanos(Math.max(0, nanos)));
    }

    /** One call to a chat platform's API (Slack Web API, Bot Connector) and how it ended. */
    public static void apiCall(String platform, String method, String outcome) {
        if (!on) {
            return;
        }
        Counter.builder(API_CALLS).description("Calls to the chat platforms' APIs by method and outcome")
                .tag("platform", label(platform)).tag("method", label(method)).tag("outcome", label(outcome))
                .register(registry()).increment();
    }

    /** A chat platform's API call is tried again (rate limit, server error, network). */
    public static void apiRetry(String platform, String method) {
        if (!on) {
            return;
        }
        Counter.builder(API_RETRIES).description("Retries of calls to the chat platforms' APIs")
                .tag("platform", label(platform)).tag("method", label(method)).register(registry()).increment();
    }

    /** One store operation took {@code nanos}. */
    public static void store(String store, String operation, long nanos) {
        if (!on) {
            return;
        }
        Timer.builder(STORE).description("Latency of store operations")
                .tag("store", label(store)).tag("operation", label(operation))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry()).record(Duration.ofNanos(Math.max(0, nanos)));
    }
}
