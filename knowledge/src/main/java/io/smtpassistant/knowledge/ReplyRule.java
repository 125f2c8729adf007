package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One line of classification knowledge: when a server reply at a stage matches, the check's
 * diagnosis is {@link #diagnosis()}. Conditions left out match anything.
 *
 * @param id        unique, stable name such as {@code m365-smtp-auth-disabled-tenant}
 * @param stages    the stages the rule applies to; empty means any stage
 * @param code      an exact reply code ({@code 535}) or a pattern with {@code x} ({@code 5xx}, {@code 53x}); "" = any
 * @param enhanced  an exact enhanced code ({@code 5.7.139}) or a pattern ({@code 5.7.x}); "" = any
 * @param contains  stable text fragments that must all appear (case and white space ignored); never whole lines
 * @param provider  a provider id the rule is limited to, or "" for every server
 * @param mechanism a login mechanism the rule is limited to ({@code XOAUTH2}), or "" for any: the same
 *                  reply means another thing after an OAuth token than after a password
 * @param diagnosis the resulting code
 * @param source    where the reply was seen, for the next person who edits the rule
 */
public record ReplyRule(
        @JsonProperty(value = "id", required = true) String id,
        @JsonProperty("stage") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Stage> stages,
        @JsonProperty("code") String code,
        @JsonProperty("enhanced") String enhanced,
        @JsonProperty("contains") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> contains,
        @JsonProperty("provider") String provider,
        @JsonProperty("mechanism") String mechanism,
        @JsonProperty(value = "diagnosis", required = true) DiagnosisCode diagnosis,
        @JsonProperty("source") String source) {

    private static final Pattern CODE = Pattern.compile("[2-5][0-9x][0-9x]");
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.(\\d{1,3}|x)\\.(\\d{1,3}|x)");

    public ReplyRule {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a rule needs an id (a short stable name such as gmail-app-password)");
        }
        if (diagnosis == null) {
            throw new IllegalArgumentException("rule " + id + ": needs a diagnosis (one of the codes in docs/diagnoses.md)");
        }
        stages = stages == null ? List.of() : List.copyOf(stages);
        code = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
        enhanced = enhanced == null ? "" : enhanced.strip().toLowerCase(Locale.ROOT);
        contains = contains == null ? List.of() : contains.stream().map(SmtpReply::normalize).toList();
        provider = provider == null ? "" : provider.strip();
        mechanism = mechanism == null ? "" : mechanism.strip().toUpperCase(Locale.ROOT);
        source = source == null ? "" : source;
        if (!code.isEmpty() && !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("rule " + id + ": code '" + code + "' is not a reply code; write 535, 53x or 5xx");
        }
        if (!enhanced.isEmpty() && !ENHANCED.matcher(enhanced).matches()) {
            throw new IllegalArgumentException("rule " + id + ": enhanced '" + enhanced + "' is not an enhanced status code; write 5.7.139 or 5.7.x");
        }
        for (String f : contains) {
            if (f.isEmpty()) {
                throw new IllegalArgumentException("rule " + id + ": an empty 'contains' fragment matches everything; remove it");
            }
        }
        if (!mechanism.isEmpty() && !List.of("PLAIN", "LOGIN", "XOAUTH2").contains(mechanism)) {
            throw new IllegalArgumentException("rule " + id + ": mechanism '" + mechanism + "' is not a login the check uses; write PLAIN, LOGIN or XOAUTH2");
        }
        if (code.isEmpty() && enhanced.isEmpty() && contains.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + ": needs at least one of code, enhanced or contains");
        }
    }

    /** Whether this rule matches the reply at the stage, for the given provider ("" when unknown), with no login mechanism known. */
    public boolean matches(Stage stage, SmtpReply reply, String normalizedText, String providerId) {
        return matches(stage, reply, normalizedText, providerId, "");
    }

    /**
     * Whether this rule matches the reply at the stage, for the given provider ("" when unknown) and
     * login mechanism ("" when none or unknown; a rule with a mechanism then never matches).
     */
    public boolean matches(Stage stage, SmtpReply reply, String normalizedText, String providerId, String loginMechanism) {
        if (!stages.isEmpty() && !stages.contains(stage)) {
            return false;
        }
        if (!mechanism.isEmpty() && !mechanism.equalsIgnoreCase(loginMechanism)) {
            return false;
        }
        if (!provider.isEmpty() && !provider.equals(providerId)) {
            return false;
        }
        if (!code.isEmpty() && !patternMatches(code, reply.code() < 0 ? "" : Integer.toString(reply.code()))) {
            return false;
        }
        if (!enhanced.isEmpty() && !enhancedMatches(reply.enhanced())) {
            return false;
        }
        for (String f : contains) {
            if (!normalizedText.contains(f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a rule of the last layer: one that names no text fragment, no provider and no exact
     * enhanced code (a stage and reply-class fallback, or a bare reply code such as 530). Failure
     * families (reply-families.yaml) are tried before these.
     */
    public boolean isFallback() {
        return contains.isEmpty() && provider.isEmpty() && mechanism.isEmpty() && (enhanced.isEmpty() || wildcards(enhanced) > 0);
    }

    /**
     * How specific the rule is; the most specific matching rule wins, ties go to the rule that
     * comes first in the file. Text fragments count most, then provider and login mechanism, an exact
     * enhanced code, an exact reply code, patterns, and last the stage.
     */
    public int specificity() {
        int s = contains.size() * 1000;
        s += provider.isEmpty() ? 0 : 500;
        s += mechanism.isEmpty() ? 0 : 500;
        if (!enhanced.isEmpty()) {
            s += switch (wildcards(enhanced)) {
                case 0 -> 100;
                case 1 -> 20;
                default -> 10;
            };
        }
        if (!code.isEmpty()) {
            s += switch (wildcards(code)) {
                case 0 -> 30;
                case 1 -> 15;
                default -> 5;
            };
        }
        s += stages.isEmpty() ? 0 : 2;
        return s;
    }

    private static int wildcards(String pattern) {
        return (int) pattern.chars().filter(c -> c == 'x').count();
    }

    private static boolean patternMatches(String pattern, String value) {
        if (value.length() != pattern.length()) {
            return false;
        }
        for (int i = 0; i < pattern.length(); i++) {
            char p = pattern.charAt(i);
            if (p != 'x' && p != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean enhancedMatches(String actual) {
        if (actual.isEmpty()) {
            return false;
        }
        String[] want = enhanced.split("\\.");
        String[] have = actual.split("\\.");
        if (have.length != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (!want[i].equals("x") && !want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }
}
