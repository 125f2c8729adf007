package io.smtpassistant.core.engine;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the conversation that come from configuration, not from knowledge files.
 *
 * @param sendingIps              the recruiting service's sending addresses customers must allowlist
 *                                ({@code SMTP_ASSISTANT_SENDING_IPS})
 * @param checkRunsFromSendingIps whether the live check connects from those same addresses
 * @param maxFailedChecks         escalate after this many failed checks in one conversation
 * @param maxInvalidAnswers       offer help or a human after this many wrong answers to one question
 * @param checkDeadline           the deadline of each live check
 * @param chatMode                true in Slack/Teams (internal targets refused): used in texts only
 */
public record EngineConfig(List<String> sendingIps, boolean checkRunsFromSendingIps, int maxFailedChecks,
                           int maxInvalidAnswers, Duration checkDeadline, boolean chatMode) {

    public EngineConfig {
        sendingIps = List.copyOf(sendingIps);
        if (maxFailedChecks < 1 || maxInvalidAnswers < 1) {
            throw new IllegalArgumentException("maxFailedChecks and maxInvalidAnswers must be at least 1");
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(List.of(), false, 3, 3, Duration.ofSeconds(15), true);
    }

    public EngineConfig withSendingIps(List<String> ips, boolean checkRunsFromThem) {
        return new EngineConfig(ips, checkRunsFromThem, maxFailedChecks, maxInvalidAnswers, checkDeadline, chatMode);
    }
}
