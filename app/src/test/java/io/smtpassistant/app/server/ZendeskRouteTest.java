package io.smtpassistant.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.app.config.AppConfig;
import io.smtpassistant.app.config.ChatServices;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.WorkflowOutcome;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.testkit.FakeZendesk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /support/zendesk} on the app's HTTP server, over real HTTP, into the workflow; and tickets out to Zendesk. */
class ZendeskRouteTest {

    static final String SECRET = "zd-signing-secret-for-tests";

    @Test
    void signedAgentCommentsAndStatusChangesReachTheRequestAndUnsignedCallsDoNot(@TempDir Path data) throws Exception {
        try (FakeZendesk zendesk = FakeZendesk.start("bot@example.com", "zd-token")) {
            AppConfig config = AppConfig.load(Map.of("TEAMS_LOCAL", "true", "SMTP_ASSISTANT_HTTP_PORT", "0",
                    "SMTP_ASSISTANT_DATA_DIR", data.toString(), "ZENDESK_URL", zendesk.baseUrl(), "ZENDESK_EMAIL", "bot@example.com",
                    "ZENDESK_API_TOKEN", "zd-token", "ZENDESK_WEBHOOK_SECRET", SECRET));
            try (ChatServices services = new ChatServices(Knowledge.load(), config, Clock.systemUTC());
                 ServerMode server = new ServerMode().start(config, services, "127.0.0.1");
                 HttpClient http = HttpClient.newHttpClient()) {
                WorkflowOutcome opened = services.workflow().open(new NewSupportRequest(
                        new Requester("teams", "aad-1", "Hanna Recruiter", "hanna@customer.example", "tenant-1"), "Login refused",
                        new CheckSettings("smtp.office365.com", 587, Security.STARTTLS, "hr@example.com", "hr@example.com", "", false),
                        Optional.empty(), List.of(), "", Instant.now()));
                String id = ((WorkflowOutcome.Done) opened).request().id();
                // out: the relay of the Teams runtime makes the ticket
                assertTrue(zendesk.await(r -> r.method().equals("POST"), Duration.ofSeconds(20)) != null, "a ticket was made");
                URI uri = URI.create("http://127.0.0.1:" + server.http().port() + "/support/zendesk");

                String comment = "{\"event\":\"comment\",\"external_id\":\"" + id + "\",\"actor_name\":\"Alex Agent\","
                        + "\"actor_email\":\"alex@example.com\",\"comment\":\"Please enable SMTP AUTH: https://aka.ms/smtp\"}";
                assertEquals(401, http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(comment)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode(), "unsigned");
                assertEquals(200, post(http, uri, comment).statusCode());
                List<SupportEvent> events = services.workflow().outbox().events(id);
                SupportEvent last = events.getLast();
                assertEquals(SupportEventType.AGENT_MESSAGE, last.type());
                assertEquals("Please enable SMTP AUTH: https://aka.ms/smtp", last.text());
                assertEquals(new SupportEvent.Actor("zendesk", "Alex Agent", "Alex Agent"), last.actor());

                String solved = "{\"event\":\"status\",\"external_id\":\"" + id + "\",\"status\":\"Solved\","
                        + "\"actor_name\":\"Alex Agent\",\"actor_email\":\"alex@example.com\",\"comment\":\"\"}";
                assertEquals(200, post(http, uri, solved).statusCode());
                assertEquals(RequestStatus.RESOLVED, services.workflow().find(id).orElseThrow().status());
                String echo = solved.replace("alex@example.com", "bot@example.com").replace("Solved", "Open");
                HttpResponse<String> own = post(http, uri, echo);
                assertTrue(own.body().startsWith("ignored: our own update"), own.body());
                assertEquals(RequestStatus.RESOLVED, services.workflow().find(id).orElseThrow().status());
            }
        }
    }

    static HttpResponse<String> post(HttpClient http, URI uri, String body) throws Exception {
        String ts = Instant.now().toString();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((ts + body).getBytes(StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(uri).header("X-Zendesk-Webhook-Signature", sig)
                .header("X-Zendesk-Webhook-Signature-Timestamp", ts).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
