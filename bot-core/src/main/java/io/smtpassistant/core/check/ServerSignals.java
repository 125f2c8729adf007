package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.ProviderSignals;
import io.smtpassistant.knowledge.SmtpReply;
import io.smtpassistant.knowledge.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server said about itself during one check run, collected as the stages record their
 * replies: the greeting banner, the EHLO reply and every later reply, for provider recognition.
 * Holds no client line, so nothing secret can reach it. Not thread-safe: owned by one {@link CheckRun}.
 */
final class ServerSignals {

    /** A check sees a handful of replies; the cap only guards against a server that loops. */
    private static final int MAX_REPLIES = 32;

    private String banner = "";
    private String ehlo = "";
    private final List<String> replies = new ArrayList<>();

    /** Notes a server reply seen at a stage; the same reply noted twice counts once. */
    void add(Stage stage, SmtpReply reply) {
        if (reply.code() < 0 && reply.text().isEmpty()) {
            return;
        }
        String text = reply.display();
        switch (stage) {
            case GREETING -> banner = text;
            case EHLO -> {
                if (ehlo.isEmpty()) {
                    ehlo = text;
                }
            }
            default -> {
                if ((replies.isEmpty() || !replies.get(replies.size() - 1).equals(text)) && replies.size() < MAX_REPLIES) {
                    replies.add(text);
                }
            }
        }
    }

    /** The signals for the recogniser: these plus the host name the user gave and the provider the conversation assumed. */
    ProviderSignals toSignals(String host, String assumedProvider) {
        return new ProviderSignals(host, List.of(), banner, ehlo, replies, assumedProvider);
    }
}
