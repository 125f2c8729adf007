package io.smtpassistant.core.engine;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Settings of the conversation that come from configuration, not from knowledge files.
 *
 * @param sendingIps              the recruiting service's sending addresses customers must allowlist
 *                                ({@code SMTP_ASSISTANT_SENDING_IPS})
 * @param checkRunsFromSendingIps whether the live check connects from those same addresses
 * @param maxFailedChecks         escalate after this many failed checks in one conversation
 * @param maxInvalidAnswers       offer help or a human after this many wrong answers to one question (a form is
 *                                never given up: it adds a hint instead)
 * @param checkDeadline           the deadline of each live check
 * @param chatMode                true in Slack/Teams (internal targets refused): used in texts only
 * @param serviceOAuth            the "Sign in with …" options the recruiting service offers for e-mail
 *                                ({@code SMTP_ASSISTANT_SERVICE_OAUTH}: {@code microsoft}, {@code google}); advice
 *                                tells the user to use them, and says nothing of them when empty
 * @param zone                    the time zone of dates shown to users (the IT summary's check time); the
 *                                system zone by default
 * @param microsoftSignIn         whether the modern sign-in (device code, then AUTH XOAUTH2) can be tested for
 *                                Microsoft 365 mailboxes: true when {@code SMTP_ASSISTANT_MS_CLIENT_ID} is set and the
 *                                effect handler has a {@link io.smtpassistant.core.oauth.DeviceCodeSignIn}. Without it
 *                                the option is never offered, and the advice says what IT would need instead
 */
public record EngineConfig(List<String> sendingIps, boolean checkRunsFromSendingIps, int maxFailedChecks,
                           int maxInvalidAnswers, Duration checkDeadline, boolean chatMode, Set<String> serviceOAuth,
                           ZoneId zone, boolean microsoftSignIn) {

    public EngineConfig {
        sendingIps = List.copyOf(sendingIps);
        serviceOAuth = serviceOAuth == null ? Set.of() : Set.copyOf(serviceOAuth);
        zone = zone == null ? ZoneId.systemDefault() : zone;
        if (maxFailedChecks < 1 || maxInvalidAnswers < 1) {
            throw new IllegalArgumentException("maxFailedChecks and maxInvalidAnswers must be at least 1");
        }
    }

    /** Without the modern sign-in for Microsoft 365 (no app registration configured). */
    public EngineConfig(List<String> sendingIps, boolean checkRunsFromSendingIps, int maxFailedChecks,
                        int maxInvalidAnswers, Duration checkDeadline, boolean chatMode, Set<String> serviceOAuth,
                        ZoneId zone) {
        this(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline, chatMode, serviceOAuth,
                zone, false);
    }

    /** In the system's time zone. */
    public EngineConfig(List<String> sendingIps, boolean checkRunsFromSendingIps, int maxFailedChecks,
                        int maxInvalidAnswers, Duration checkDeadline, boolean chatMode, Set<String> serviceOAuth) {
        this(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline, chatMode, serviceOAuth,
                ZoneId.systemDefault());
    }

    /** Without service sign-ins (the default). */
    public EngineConfig(List<String> sendingIps, boolean checkRunsFromSendingIps, int maxFailedChecks,
                        int maxInvalidAnswers, Duration checkDeadline, boolean chatMode) {
        this(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline, chatMode, Set.of());
    }

    public static EngineConfig defaults() {
        return new EngineConfig(List.of(), false, 3, 3, Duration.ofSeconds(15), true);
    }

    public EngineConfig withSendingIps(List<String> ips, boolean checkRunsFromThem) {
        return new EngineConfig(ips, checkRunsFromThem, maxFailedChecks, maxInvalidAnswers, checkDeadline, chatMode, serviceOAuth, zone, microsoftSignIn);
    }

    public EngineConfig withServiceOAuth(Set<String> options) {
        return new EngineConfig(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline,
                chatMode, options, zone, microsoftSignIn);
    }

    public EngineConfig withZone(ZoneId zoneOfDates) {
        return new EngineConfig(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline,
                chatMode, serviceOAuth, zoneOfDates, microsoftSignIn);
    }

    /** With the modern sign-in for Microsoft 365 offered ({@code true}) or not. */
    public EngineConfig withMicrosoftSignIn(boolean offered) {
        return new EngineConfig(sendingIps, checkRunsFromSendingIps, maxFailedChecks, maxInvalidAnswers, checkDeadline,
                chatMode, serviceOAuth, zone, offered);
    }
}
