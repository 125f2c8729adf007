package io.smtpassistant.core.net;

import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Tells the system resolver's two kinds of {@link UnknownHostException} apart. The JDK passes the
 * C library's {@code gai_strerror} text on: {@code EAI_NONAME} ("Name or service not known", "nodename
 * nor servname provided") means the name has no address; {@code EAI_AGAIN} ("Temporary failure in name
 * resolution"), {@code EAI_FAIL} ("Non-recoverable failure in name resolution") and {@code EAI_SYSTEM}
 * mean the lookup itself failed.
 */
final class SystemResolverFailures {

    private SystemResolverFailures() {
    }

    static UnknownHostException classify(UnknownHostException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("temporary failure in name resolution") || m.contains("non-recoverable failure")
                || m.contains("system error") || m.contains("try again")) {
            return new LookupFailedException(e.getMessage(), e);
        }
        return e;
    }
}
