package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The stages of a live SMTP check, in the order they normally run. */
public enum Stage {
    DNS,
    CONNECT,
    GREETING,
    EHLO,
    TLS,
    AUTH,
    SENDER,
    RECIPIENT,
    MESSAGE;

    /** The lower-case name used in JSON and knowledge files, e.g. {@code "auth"}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Stage fromId(String id) {
        for (Stage s : values()) {
            if (s.id().equalsIgnoreCase(id.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + id + "'; expected one of dns, connect, greeting, ehlo, tls, auth, sender, recipient, message");
    }
}
