package io.smtpassistant.knowledge;

import java.util.Objects;

/**
 * Who runs the SMTP server a check talked to, and why we think so.
 *
 * @param id       a provider id ({@code microsoft365}) or a server software id ({@code postfix}) from providers.yaml
 * @param name     the display name, e.g. "Microsoft 365 (Exchange Online)"
 * @param software true when only the server software is known (Postfix, Exim…), not a mailbox provider
 * @param signal   the strongest signal that named it
 * @param evidence what that signal said, short and quotable: a reply excerpt such as
 *                 {@code "535 5.7.8 … - gsmtp"}, a host name, an MX host, or the assumed provider id
 */
public record RecognizedProvider(String id, String name, boolean software, ProviderSignal signal, String evidence) {

    public RecognizedProvider {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signal, "signal");
        evidence = evidence == null ? "" : evidence;
    }
}
