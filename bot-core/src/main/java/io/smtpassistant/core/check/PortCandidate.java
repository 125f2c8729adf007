package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.Security;
import java.util.List;

/** A port and security mode that port discovery may probe. */
public record PortCandidate(int port, Security security) {

    /** The usual submission set, in the order a working one is recommended. */
    public static final List<PortCandidate> DEFAULTS = List.of(
            new PortCandidate(587, Security.STARTTLS),
            new PortCandidate(465, Security.TLS),
            new PortCandidate(25, Security.STARTTLS),
            new PortCandidate(2525, Security.STARTTLS));

    public PortCandidate {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
        if (security == Security.AUTO) {
            throw new IllegalArgumentException("a candidate needs a concrete security mode");
        }
    }
}
