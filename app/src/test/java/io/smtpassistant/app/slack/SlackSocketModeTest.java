package io.smtpassistant.app.slack;

import static io.smtpassistant.app.slack.FakeSlack.content;
import static io.smtpassistant.app.slack.FakeSlack.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket Mode against a local WebSocket server standing in for Slack: after {@code hello} it sends an
 * events_api envelope (and the same envelope again, as Slack redelivers unacked ones); the client
 * acks with the envelope id, and the event reaches the conversation once.
 */
class SlackSocketModeTest {

    private static final String ENVELOPE = "{\"envelope_id\":\"env-1\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
            + "\"retry_attempt\":0,\"retry_reason\":\"\",\"payload\":{\"token\":\"x\",\"team_id\":\"" + FakeSlack.TEAM + "\","
            + "\"api_app_id\":\"A1\",\"type\":\"event_callback\",\"event_id\":\"EvSock1\",\"event_time\":1700000000,"
            + "\"event\":{\"type\":\"message\",\"channel\":\"DUSOCK\",\"channel_type\":\"im\",\"user\":\"USOCK\",\"text\":\"hello\",\"ts\":\"9.1\"}}}";

    /** A Slack-like Socket Mode server: hello, then the envelope; records what the client sends. */
    static final class FakeSocketSlack extends WebSocketServer {
        final List<String> received = new ArrayList<>();
        final CountDownLatch started = new CountDownLatch(1);

        FakeSocketSlack() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"local\"},\"connection_info\":{\"app_id\":\"A1\"}}");
            conn.send(ENVELOPE);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            synchronized (received) {
                received.add(message);
                received.notifyAll();
                if (received.size() == 1) {
                    // a redelivery of the same event (another envelope id, same event id) must not start a second turn
                    conn.send(ENVELOPE.replace("env-1", "env-2").replace("\"retry_attempt\":0", "\"retry_attempt\":1"));
                }
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        String awaitReceived(String contains) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            synchronized (received) {
                while (true) {
                    for (String m : received) {
                        if (m.contains(contains)) {
                            return m;
                        }
                    }
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                }
            }
        }
    }

    @Test
    void helloThenAnEnvelopeIsAckedAndReachesTheConversationOnce(@TempDir Path data) throws Exception {
        FakeSocketSlack ws = new FakeSocketSlack();
        ws.start();
        try {
            assertTrue(ws.started.await(10, TimeUnit.SECONDS), "the WebSocket server is listening");
            FakeSlack.socketUrl = "ws://127.0.0.1:" + ws.getPort() + "/";
            try (FakeSlack slack = new FakeSlack(Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "SLACK_APP_TOKEN", "xapp-test",
                    "SLACK_SIGNING_SECRET", ""))) {
                assertNotNull(ws.awaitReceived("\"envelope_id\":\"env-1\""), "the client acks the envelope");
                slack.await("chat.postMessage", r -> "DUSOCK".equals(form(r.body()).get("channel")) && content(r).contains("Hello"));
                assertNotNull(ws.awaitReceived("\"envelope_id\":\"env-2\""), "the redelivery is acked too");
                // a later event of the same conversation; its reply comes after anything the redelivery could have caused
                ws.broadcast(ENVELOPE.replace("env-1", "env-3").replace("EvSock1", "EvSock2")
                        .replace("\"text\":\"hello\"", "\"text\":\"Set up our mailbox for the first time\""));
                slack.await("chat.postMessage", r -> "DUSOCK".equals(form(r.body()).get("channel")) && content(r).contains("Which mailbox"));
                long messages = slack.api.requestsTo("chat.postMessage").stream()
                        .filter(r -> "DUSOCK".equals(form(r.body()).get("channel"))).count();
                assertEquals(2, messages, "greeting once, then the answer to the later event: " + slack.describe());
            }
        } finally {
            ws.stop(1000);
        }
    }
}
