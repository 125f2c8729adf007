package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How the connection to the SMTP server is secured. */
public enum Security {
    /** Plain connect, then the STARTTLS command upgrades it (usually port 587 or 25). */
    STARTTLS,
    /** Implicit TLS: the TLS handshake starts right after connect (usually port 465). */
    TLS,
    /** No encryption at all. */
    NONE,
    /** Not known: probe the usual ports and modes. */
    AUTO;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code starttls}, {@code tls} (also {@code ssl}, {@code implicit}), {@code none}, {@code auto}, in any case. */
    public static Optional<Security> parse(@Nullable String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "starttls", "start-tls", "start_tls" -> Optional.of(STARTTLS);
            case "tls", "ssl", "ssl/tls", "implicit", "implicit-tls", "smtps" -> Optional.of(TLS);
            case "none", "plain", "off" -> Optional.of(NONE);
            case "auto" -> Optional.of(AUTO);
            default -> Optional.empty();
        };
    }

    @JsonCreator
    static Security fromJson(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "unknown security '" + text + "'; expected starttls, tls, none or auto"));
    }
}
