package io.smtpassistant.core.support;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a support request is in its life: {@code OPEN → CLAIMED → RESOLVED}. A claimed request may be
 * claimed again by another person (a hand-over); open and claimed requests may be resolved; a
 * resolved request is final.
 */
public enum RequestStatus {
    /** Waiting for someone on the support team. */
    OPEN,
    /** Someone on the support team took it; see the assignee. */
    CLAIMED,
    /** Done. Final. */
    RESOLVED;

    /** The lower-case name used in JSON, the database and on the command line, e.g. {@code "open"}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code open}, {@code claimed} or {@code resolved} in any case; empty for anything else. */
    public static Optional<RequestStatus> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (RequestStatus s : values()) {
            if (s.id().equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static RequestStatus fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "unknown request status '" + text + "'; expected open, claimed or resolved"));
    }
}
