package io.smtpassistant.slack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.testkit.RecordingHttpServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Who may claim, resolve or re-run: members of the support channel, or of the configured user group. */
class SupportPermissionTest {

    private static final Knowledge KNOWLEDGE = Knowledge.load();

    private static RecordingHttpServer fakeSlack() throws Exception {
        return RecordingHttpServer.start(r -> RecordingHttpServer.Response.json(switch (r.path().substring(r.path().lastIndexOf('/') + 1)) {
            case "conversations.members" -> "{\"ok\":true,\"members\":[\"UAGENT\"],\"response_metadata\":{\"next_cursor\":\"\"}}";
            case "usergroups.users.list" -> "{\"ok\":true,\"users\":[\"UGROUP\"]}";
            default -> "{\"ok\":true}";
        }));
    }

    private static SlackWeb web(RecordingHttpServer server) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(server.baseUrl() + "/api/");
        return new SlackWeb(Slack.getInstance(config).methods("xoxb-test"));
    }

    @Test
    void channelMembersAndGroupMembersMayActOthersMayNot() throws Exception {
        try (RecordingHttpServer server = fakeSlack()) {
            SupportChannel withGroup = new SupportChannel(web(server), "CSUPPORT", "SGROUP", KNOWLEDGE, Clock.systemUTC());
            assertTrue(withGroup.mayAct("UAGENT"), "a member of the support channel");
            assertTrue(withGroup.mayAct("UGROUP"), "a member of the support user group");
            assertFalse(withGroup.mayAct("UOUTSIDER"));
            assertTrue(server.requestsTo("usergroups.users.list").stream().anyMatch(r -> r.body().contains("SGROUP")));
        }
    }

    @Test
    void withoutAGroupOnlyChannelMembersMayAct() throws Exception {
        try (RecordingHttpServer server = fakeSlack()) {
            SupportChannel channelOnly = new SupportChannel(web(server), "CSUPPORT", "", KNOWLEDGE, Clock.systemUTC());
            assertTrue(channelOnly.mayAct("UAGENT"));
            assertFalse(channelOnly.mayAct("UGROUP"), "the group counts only when configured");
            assertTrue(server.requestsTo("usergroups.users.list").isEmpty());
        }
    }
}
