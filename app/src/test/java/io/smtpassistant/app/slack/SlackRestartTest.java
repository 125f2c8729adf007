package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smtpassistant.app.support.StoredLinks;
import io.smtpassistant.core.support.SupportLinks;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy between the request and support's answer: one app instance posts the request to the
 * support channel and stops; a new one on the same database, with empty caches and a fresh
 * conversation store, relays the support agent's thread reply to the requester and the requester's
 * answer into the same thread.
 */
class SlackRestartTest {

    private static final String USER = "UANNA";
    private static final String DM = "DUANNA";
    private static final String SUPPORT = "CSUPPORT";

    @Test
    void aRestartedAppStillRelaysBothWaysInTheRequestsThread(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SLACK_SUPPORT_CHANNEL", SUPPORT);
        String id;
        String cardTs;
        try (FakeSlack before = new FakeSlack(env)) {
            before.dm(USER, "human");
            before.awaitContaining("chat.postMessage", "No note");
            before.dm(USER, "Our IT changed the firewall");
            id = StoredLinks.requestId(content(before.awaitContaining("chat.postMessage", "Your support request SR-")));
            cardTs = before.tsOf(SUPPORT, id);
            SupportLinks links = StoredLinks.await(before.services().store(), "slack", id);
            for (String stored : new String[] {links.toString(), links.requester().orElseThrow(), links.thread().orElseThrow().data()}) {
                assertFalse(stored.contains("xoxb-test") || stored.contains(FakeSlack.SECRET), "no token or secret is stored: " + stored);
            }
        }

        try (FakeSlack after = new FakeSlack(env)) {
            after.threadReply("UAGENT", SUPPORT, cardTs, "Hi Anna, which port does the firewall block?");
            after.await("chat.postMessage", r -> DM.equals(form(r.body()).get("channel"))
                    && content(r).contains("Hi Anna, which port does the firewall block?"));

            after.dm(USER, "Port 587, I think");
            after.await("chat.postMessage", r -> SUPPORT.equals(form(r.body()).get("channel"))
                    && cardTs.equals(form(r.body()).get("thread_ts")) && content(r).contains("Port 587, I think"));
        }
    }
}
