package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.support.SupportLinks;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            Recorded opened = before.awaitContaining("chat.postMessage", "Your support request SR-");
            Matcher m = Pattern.compile("SR-[0-9A-Z]{5}").matcher(content(opened));
            assertTrue(m.find(), content(opened));
            id = m.group();
            cardTs = before.tsOf(SUPPORT, id);
            SupportLinks links = awaitLinks(before, id);
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

    /** Waits (bounded) until the first instance wrote both links of the request. */
    private static SupportLinks awaitLinks(FakeSlack slack, String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var links = slack.services().store().links().find("slack", id);
            if (links.isPresent() && links.get().thread().isPresent() && links.get().requester().isPresent()) {
                return links.get();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the links of " + id + " were never written: " + links);
            }
            Thread.sleep(20);
        }
    }
}
