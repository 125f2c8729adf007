package io.smtpassistant.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a provider was recognised from, strongest first: what the server says about itself (its
 * replies, its EHLO line, its greeting banner), then the SMTP host name the user gave, then the MX
 * hosts of the sender's domain, then what the user answered (the provider the conversation assumed).
 * The declaration order is the order of strength.
 */
public enum ProviderSignal {
    /** A reply to a command (AUTH, MAIL FROM, RCPT TO, end of DATA…), e.g. {@code "… - gsmtp"}. */
    REPLY,
    /** The first line of the EHLO reply: the host name the server calls itself. */
    EHLO,
    /** The 220 greeting banner. */
    BANNER,
    /** The SMTP host name the user gave. */
    HOST,
    /** The MX hosts of the sender's domain. */
    MX,
    /** What the user answered: the sender's address domain or the provider the conversation assumed. */
    ANSWER;

    /** The lower-case name used in knowledge files and JSON, e.g. {@code "reply"}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is something the server said about itself (reply, EHLO line or banner). */
    public boolean fromServer() {
        return this == REPLY || this == EHLO || this == BANNER;
    }

    @JsonCreator
    public static ProviderSignal fromId(String id) {
        for (ProviderSignal s : values()) {
            if (s.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown signal '" + id + "'; a fingerprint can look in host, banner, ehlo or reply");
    }
}
