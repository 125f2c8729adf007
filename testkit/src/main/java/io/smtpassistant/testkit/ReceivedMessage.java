package io.smtpassistant.testkit;

import java.util.List;

/**
 * A message {@link ScriptedSmtpServer} received with DATA.
 *
 * @param mailFrom   the reverse path of the last MAIL FROM, without angle brackets ({@code ""} for the null path,
 *                   {@code null} if the client sent no MAIL)
 * @param recipients the forward paths of the RCPT TO commands that got a 2xx reply, in order
 * @param content    the content as decoded from UTF-8, dot-unstuffed, lines ending in CRLF, without the final dot
 * @param overTls    whether the content arrived inside a TLS session
 */
public record ReceivedMessage(String mailFrom, List<String> recipients, String content, boolean overTls) {

    public ReceivedMessage {
        recipients = List.copyOf(recipients);
    }
}
