package io.smtpassistant.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.testkit.RecordingHttpServer;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The start-up's token request against a local stand-in of the tenant's authority: a token issued is no problem; a
 * refused secret is one line naming the settings and what to copy, without the secret; an authority that cannot be
 * reached is one line naming the address.
 */
class TeamsCredentialCheckTest {

    private static final String SECRET = "client-secret-5f3Zq8";

    private static TeamsSettings settings(String login) {
        Map<String, String> env = Map.of("MicrosoftAppId", "0c4e2b8a-7d1f-4c3e-9a5b-2f6d8e1a4b7c", "MicrosoftAppPassword", SECRET,
                "MicrosoftAppType", "SingleTenant", "MicrosoftAppTenantId", "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "TEAMS_LOGIN_ENDPOINT", login);
        return TeamsSettings.from(env::get);
    }

    @Test
    void anIssuedTokenIsNoProblemAndTheRequestAskedTheAppsTenant() throws Exception {
        try (RecordingHttpServer login = RecordingHttpServer.start(r -> RecordingHttpServer.Response.json(
                "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"t-1\"}"))) {
            assertEquals(Optional.empty(), TeamsCredentialCheck.problem(settings(login.baseUrl()), Clock.systemUTC()));
            RecordingHttpServer.Recorded asked = login.requests().get(0);
            assertEquals("/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token", asked.path());
            assertTrue(asked.body().contains("grant_type=client_credentials"), asked.body());
        }
    }

    @Test
    void aRefusedSecretIsOneLineThatSaysWhatToCopyWithoutTheSecret() throws Exception {
        try (RecordingHttpServer login = RecordingHttpServer.start(r -> new RecordingHttpServer.Response(401, "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 1\"}",
                Map.of()))) {
            String problem = TeamsCredentialCheck.problem(settings(login.baseUrl()), Clock.systemUTC()).orElseThrow();
            assertEquals("MicrosoftAppId and MicrosoftAppPassword were refused by " + login.baseUrl()
                    + "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token (401: invalid_client AADSTS7000215: Invalid client"
                    + " secret provided.): copy the bot's app id and a current client secret (its Value, not its ID) from the"
                    + " Azure bot's configuration, and its tenant id into MicrosoftAppTenantId, and start again.", problem);
            assertFalse(problem.contains(SECRET));
            assertEquals(1, problem.lines().count());
        }
    }

    @Test
    void anAuthorityThatCannotBeReachedIsOneLineNamingIt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String problem = TeamsCredentialCheck.problem(settings("http://127.0.0.1:" + closed), Clock.systemUTC()).orElseThrow();
        assertTrue(problem.startsWith("a Bot Connector token could not be requested from http://127.0.0.1:" + closed
                + "/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token (no connection): check"), problem);
    }
}
