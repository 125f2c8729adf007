package io.smtpassistant.knowledge;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a recognition can use, as plain values (DNS and the SMTP session are the caller's).
 * Absent values are "" or empty lists.
 *
 * @param host     the SMTP host name the user gave
 * @param mxHosts  the MX hosts of the sender's domain, lowest preference first
 * @param banner   the greeting banner as received (code and text)
 * @param ehlo     the EHLO reply, or only its first line
 * @param replies  replies to commands seen so far, in the order they came
 * @param answer   a provider id the user's answers point to (the sender's address domain, the preset
 *                 the user confirmed), or ""
 */
public record ProviderSignals(String host, List<String> mxHosts, String banner, String ehlo, List<String> replies,
                              String answer) {

    public ProviderSignals {
        host = orEmpty(host);
        mxHosts = mxHosts == null ? List.of() : List.copyOf(mxHosts);
        banner = orEmpty(banner);
        ehlo = orEmpty(ehlo);
        replies = replies == null ? List.of() : List.copyOf(replies);
        answer = orEmpty(answer);
    }

    /** Only a host name and what the user answered: the guess before any check. */
    public static ProviderSignals ofHost(String host, String answer) {
        return new ProviderSignals(host, List.of(), "", "", List.of(), answer);
    }

    private static String orEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }
}
