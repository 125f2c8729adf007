package io.smtpassistant.testkit;

import java.util.Locale;

/**
 * A line {@link ScriptedSmtpServer} received outside DATA content, as it parsed it (without the line end),
 * including the client's answers to {@code 334} challenges.
 *
 * @param line    the line, without CRLF
 * @param overTls whether it arrived inside a TLS session (after STARTTLS, or in implicit TLS mode)
 */
public record ReceivedCommand(String line, boolean overTls) {

    /** The first word of the line in upper case ({@code "MAIL"} for {@code "mail FROM:<a@b>"}). */
    public String verb() {
        int space = line.indexOf(' ');
        return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
