package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import io.smtpassistant.core.support.Delivery;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportAction;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportEventType;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportRequest;
import io.smtpassistant.core.support.SupportRequestStore;
import io.smtpassistant.core.support.SupportRequestStores;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.WorkflowOutcome;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.RecordingHttpServer;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import io.smtpassistant.testkit.RecordingHttpServer.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slack support desk against a local Web API stand-in and a real H2 request store: Slack's
 * answers become {@link Delivery} values (parked with the fix, retried later with Retry-After), the
 * card is posted once per request, and who may act.
 */
class SlackSupportDeskTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();
    private static final String AUTH = "{\"ok\":true,\"team_id\":\"T1\",\"user_id\":\"UBOT\"}";

    @TempDir
    Path dir;
    private SupportRequestStore store;
    private SupportWorkflow workflow;
    private volatile Function<Recorded, Response> answer = r -> Response.json("{\"ok\":true,\"ts\":\"1700000000.000100\"}");

    @BeforeEach
    void open() {
        store = SupportRequestStores.h2(dir).open();
        workflow = SupportWorkflow.builder(store).build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RecordingHttpServer slack() throws Exception {
        return RecordingHttpServer.start(r -> r.path().endsWith("/auth.test") ? Response.json(AUTH) : answer.apply(r));
    }

    private SlackSupportDesk desk(RecordingHttpServer server, String channel, String usergroup) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(server.baseUrl() + "/api/");
        SlackSupportDesk desk = new SlackSupportDesk(new SlackWeb(Slack.getInstance(config).methods("xoxb-test")), channel, usergroup, KNOWLEDGE);
        desk.connect(workflow, store.links());
        return desk;
    }

    private SupportRequest request() {
        WorkflowOutcome o = workflow.open(NewSupportRequest.of(new Requester("slack", "UANNA", "Anna", "anna@example.com", "T1"),
                "Sending fails", new CheckSettings("smtp.example.com", 587, Security.STARTTLS, "anna@example.com", "anna@example.com", "", false),
                null, List.of(), "please help", Instant.now()));
        return ((WorkflowOutcome.Done) o).request();
    }

    private SupportEvent opened(SupportRequest r) {
        return workflow.outbox().events(r.id()).getFirst();
    }

    private static Response error(String code) {
        return Response.json("{\"ok\":false,\"error\":\"" + code + "\"}");
    }

    @Test
    void botNotInTheChannelIsParkedWithTheFix() throws Exception {
        try (RecordingHttpServer server = slack()) {
            answer = r -> error("not_in_channel");
            SupportRequest r = request();
            Delivery d = desk(server, "CSUPPORT", "").deliver(opened(r), r);
            Delivery.Rejected rejected = assertInstanceOf(Delivery.Rejected.class, d);
            assertTrue(rejected.reason().contains("not a member of SLACK_SUPPORT_CHANNEL=CSUPPORT")
                    && rejected.reason().contains("/invite"), rejected.reason());
        }
    }

    @Test
    void unknownChannelAndBadTokenAreParkedNamingTheSetting() throws Exception {
        try (RecordingHttpServer server = slack()) {
            SupportRequest r = request();
            answer = r2 -> error("channel_not_found");
            Delivery.Rejected channel = assertInstanceOf(Delivery.Rejected.class, desk(server, "CSUPPORT", "").deliver(opened(r), r));
            assertTrue(channel.reason().contains("SLACK_SUPPORT_CHANNEL=CSUPPORT") && channel.reason().contains("C0123456789"), channel.reason());
            answer = r2 -> error("invalid_auth");
            Delivery.Rejected auth = assertInstanceOf(Delivery.Rejected.class, desk(server, "CSUPPORT", "").deliver(opened(r), r));
            assertTrue(auth.reason().contains("SLACK_BOT_TOKEN"), auth.reason());
            assertFalse(auth.reason().contains("xoxb-test"), "the token is never in a reason");
        }
    }

    @Test
    void rateLimitIsRetriedAfterSlacksRetryAfter() throws Exception {
        try (RecordingHttpServer server = slack()) {
            answer = r -> new Response(429, "application/json", "{\"ok\":false,\"error\":\"ratelimited\"}", Map.of("Retry-After", "7"));
            SupportRequest r = request();
            Delivery.RetryLater later = assertInstanceOf(Delivery.RetryLater.class, desk(server, "CSUPPORT", "").deliver(opened(r), r));
            assertEquals(Optional.of(Duration.ofSeconds(7)), later.retryAfter());
            assertEquals(1, server.requestsTo("chat.postMessage").size(), "one attempt: the relay schedules the next");
        }
    }

    @Test
    void serverErrorsAndRefusedConnectionsAreRetriedLater() throws Exception {
        SupportRequest r = request();
        try (RecordingHttpServer server = slack()) {
            answer = x -> new Response(503, "text/plain", "", Map.of());
            assertInstanceOf(Delivery.RetryLater.class, desk(server, "CSUPPORT", "").deliver(opened(r), r));
        }
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix("http://127.0.0.1:" + closedPort + "/api/");
        SlackSupportDesk refused = new SlackSupportDesk(new SlackWeb(Slack.getInstance(config).methods("xoxb-test")), "CSUPPORT", "", KNOWLEDGE);
        refused.connect(workflow, store.links());
        assertInstanceOf(Delivery.RetryLater.class, refused.deliver(opened(r), r));
    }

    @Test
    void aChannelNameInsteadOfAnIdIsParkedAndReportedAtStart() throws Exception {
        try (RecordingHttpServer server = slack()) {
            SupportRequest r = request();
            SlackSupportDesk desk = desk(server, "#support", "");
            assertTrue(desk.selfCheck().orElseThrow().contains("not a Slack channel id"));
            assertInstanceOf(Delivery.Rejected.class, desk.deliver(opened(r), r));
            assertTrue(server.requestsTo("chat.postMessage").isEmpty());
        }
    }

    @Test
    void selfCheckAsksSlackWhetherTheBotIsAMember() throws Exception {
        try (RecordingHttpServer server = slack()) {
            answer = r -> Response.json("{\"ok\":true,\"channel\":{\"id\":\"CSUPPORT\",\"is_member\":false}}");
            assertTrue(desk(server, "CSUPPORT", "").selfCheck().orElseThrow().contains("invite"));
            answer = r -> Response.json("{\"ok\":true,\"channel\":{\"id\":\"CSUPPORT\",\"is_member\":true}}");
            assertEquals(Optional.empty(), desk(server, "CSUPPORT", "").selfCheck());
            assertTrue(server.requestsTo("conversations.info").stream().allMatch(x -> x.body().contains("CSUPPORT")));
        }
    }

    @Test
    void theCardIsPostedOnceAndItsThreadLinked() throws Exception {
        try (RecordingHttpServer server = slack()) {
            SupportRequest r = request();
            SlackSupportDesk desk = desk(server, "CSUPPORT", "");
            assertInstanceOf(Delivery.Delivered.class, desk.deliver(opened(r), r));
            assertEquals("CSUPPORT:1700000000.000100", store.links().find("slack", r.id()).orElseThrow().thread().orElseThrow().key());
            // a second instance (empty caches) after a crash before the event was marked: no second card
            assertInstanceOf(Delivery.Delivered.class, desk(server, "CSUPPORT", "").deliver(opened(r), r));
            assertEquals(1, server.requestsTo("chat.postMessage").size());
        }
    }

    @Test
    void channelMembersAndGroupMembersMayActOthersMayNot() throws Exception {
        try (RecordingHttpServer server = slack()) {
            answer = r -> Response.json(switch (r.path().substring(r.path().lastIndexOf('/') + 1)) {
                case "conversations.members" -> "{\"ok\":true,\"members\":[\"UAGENT\"],\"response_metadata\":{\"next_cursor\":\"\"}}";
                case "usergroups.users.list" -> "{\"ok\":true,\"users\":[\"UGROUP\"]}";
                default -> "{\"ok\":true}";
            });
            SupportRequest r = request();
            SupportPolicy withGroup = desk(server, "CSUPPORT", "SGROUP").policy();
            assertEquals(SupportPolicy.Permission.ALLOWED, withGroup.check(new SupportEvent.Actor("slack", "UAGENT", ""), SupportAction.CLAIM, r));
            assertEquals(SupportPolicy.Permission.ALLOWED, withGroup.check(new SupportEvent.Actor("slack", "UGROUP", ""), SupportAction.RESOLVE, r));
            assertInstanceOf(SupportPolicy.Permission.Denied.class, withGroup.check(new SupportEvent.Actor("slack", "UOUT", ""), SupportAction.CLAIM, r));
            SupportPolicy channelOnly = desk(server, "CSUPPORT", "").policy();
            assertInstanceOf(SupportPolicy.Permission.Denied.class, channelOnly.check(new SupportEvent.Actor("slack", "UGROUP", ""), SupportAction.CLAIM, r));
        }
    }

    @Test
    void theThreadLineOfAResolveWithoutANoteHasNoDanglingColonAndNotesKeepTheirLinks() {
        SupportRequest r = request();
        SupportEvent plain = new SupportEvent("e1", r.id(), 2, SupportEventType.RESOLVED, new SupportEvent.Actor("zendesk", "7", "Sam"), "", Instant.now());
        String line = SlackSupportDesk.line(plain, r);
        assertTrue(line.contains("Resolved by Sam") && !line.contains(":\n") && !line.strip().endsWith(":"), line);
        SupportEvent noted = new SupportEvent("e2", r.id(), 3, SupportEventType.AGENT_MESSAGE, new SupportEvent.Actor("zendesk", "7", "Sam"),
                "Read [the guide](https://help.example.com/x) <now>", Instant.now());
        String msg = SlackSupportDesk.line(noted, r);
        assertTrue(msg.contains("<https://help.example.com/x|the guide> &lt;now&gt;") && msg.contains("(zendesk)"), msg);
    }
}
