package io.smtpassistant.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpassistant.testkit.TestIdentityAuthority.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TestIdentityAuthorityTest {

    private static final TestPki PKI = TestPki.create();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> post(HttpClient client, String url, String form) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void issuesACodeThenPlaysTheScriptInOrderAndRecordsTheForms() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(PKI.clientContext()).build();
        try (TestIdentityAuthority idp = TestIdentityAuthority.start(PKI)) {
            idp.interval(3).script(Reply.pending(), Reply.token("tok", "hr@contoso.example"));
            JsonNode code = JSON.readTree(post(client, idp.authority() + "/oauth2/v2.0/devicecode",
                    "client_id=" + TestIdentityAuthority.CLIENT_ID + "&scope=https%3A%2F%2Foutlook.office.com%2FSMTP.Send").body());
            assertEquals(idp.deviceCode(), code.path("device_code").asText());
            assertEquals(idp.userCode(), code.path("user_code").asText());
            assertEquals(3, code.path("interval").asInt());
            String poll = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=" + TestIdentityAuthority.CLIENT_ID
                    + "&device_code=" + idp.deviceCode();
            HttpResponse<String> first = post(client, idp.authority() + "/oauth2/v2.0/token", poll);
            assertEquals(400, first.statusCode());
            JsonNode pending = JSON.readTree(first.body());
            assertEquals("authorization_pending", pending.path("error").asText());
            assertEquals(70016, pending.path("error_codes").get(0).asInt());
            assertTrue(pending.path("error_description").asText().startsWith("AADSTS70016: "));
            HttpResponse<String> second = post(client, idp.authority() + "/oauth2/v2.0/token", poll);
            assertEquals(200, second.statusCode());
            assertEquals("tok", JSON.readTree(second.body()).path("access_token").asText());
            assertEquals(2, idp.polls());
            assertEquals(3, idp.requests().size());
            assertEquals(idp.deviceCode(), idp.requests().get(1).form().get("device_code"));
        }
    }

    @Test
    void refusesUnknownClientsAndCodesLikeThePlatform() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(PKI.clientContext()).build();
        try (TestIdentityAuthority idp = TestIdentityAuthority.start(PKI)) {
            JsonNode unknown = JSON.readTree(post(client, idp.authority() + "/oauth2/v2.0/devicecode",
                    "client_id=someone-else&scope=x").body());
            assertEquals("unauthorized_client", unknown.path("error").asText());
            assertEquals(700016, unknown.path("error_codes").get(0).asInt());
            JsonNode badCode = JSON.readTree(post(client, idp.authority() + "/oauth2/v2.0/token",
                    "grant_type=device_code&client_id=" + TestIdentityAuthority.CLIENT_ID + "&device_code=guess").body());
            assertEquals("bad_verification_code", badCode.path("error").asText());
            assertEquals(0, idp.polls());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheTestCaCannotConnect() throws Exception {
        HttpClient stranger = HttpClient.newBuilder().sslContext(TestPki.create().clientContext()).build();
        try (TestIdentityAuthority idp = TestIdentityAuthority.start(PKI)) {
            assertThrows(SSLHandshakeException.class, () -> post(stranger, idp.authority() + "/oauth2/v2.0/devicecode", "client_id=x"));
            assertTrue(idp.requests().isEmpty());
        }
    }
}
