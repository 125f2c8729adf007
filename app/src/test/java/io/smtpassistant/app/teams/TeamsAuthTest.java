package io.smtpassistant.app.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smtpassistant.testkit.RecordingHttpServer.Recorded;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an app id set, every request must carry a Bot Framework token: issued by
 * {@code https://api.botframework.com}, for our app id, signed by a published key endorsed for the
 * channel, naming the activity's service URL. The OpenID metadata and keys are served locally and the
 * tokens are minted here. Outbound, a SingleTenant app gets its token from its own tenant.
 */
class TeamsAuthTest {

    private static final String APP_ID = "0c4e2b8a-app-under-test";
    private static final String TENANT = "tenant-xyz";

    private static final KeyPair KEY = rsa();
    private static final KeyPair OTHER = rsa();

    private static Map<String, String> env(Path data) {
        return Map.of("SMTP_ASSISTANT_DATA_DIR", data.toString(), "MicrosoftAppId", APP_ID,
                "MicrosoftAppPassword", "client-secret-of-the-app", "MicrosoftAppType", "SingleTenant",
                "MicrosoftAppTenantId", TENANT);
    }

    private static TeamsHarness harness(Path data) throws Exception {
        TeamsHarness t = new TeamsHarness(env(data), c -> Map.of("BotOpenIdMetadata", c.baseUrl() + "/openid",
                "TEAMS_LOGIN_ENDPOINT", c.baseUrl()));
        t.jwks = "{\"keys\":[" + jwk("key-1", (RSAPublicKey) KEY.getPublic()) + "]}";
        return t;
    }

    @Test
    void requestsWithoutAValidTokenAreRejected(@TempDir Path data) throws Exception {
        try (TeamsHarness t = harness(data)) {
            ObjectNode a = t.personal("hello");
            String url = t.serviceUrl();
            assertEquals(401, t.post(a, null), "no token");
            assertEquals(401, t.post(t.personal("hello"), bearer(token("key-1", KEY, "some-other-app", url))), "wrong audience");
            assertEquals(401, t.post(t.personal("hello"), bearer(token("key-unknown", OTHER, APP_ID, url))), "unknown key");
            assertEquals(401, t.post(t.personal("hello"), bearer(token("key-1", OTHER, APP_ID, url))), "published kid, foreign signature");
            assertEquals(401, t.post(t.personal("hello"), bearer(token("key-1", KEY, APP_ID, "https://elsewhere.example/"))),
                    "service URL in the token is not the activity's");
            assertTrue(t.connector.requests().stream().noneMatch(r -> r.path().startsWith("/v3/")),
                    "a refused request reaches no conversation");

            // the control: the same request with a right token is taken
            assertEquals(202, t.post(t.personal("hello"), bearer(token("key-1", KEY, APP_ID, url))));
            t.awaitUserCard(0, "What do you need help with?");
        }
    }

    @Test
    void malformedTokensAreACleanUnauthorizedWithOneLogLineEach(@TempDir Path data) throws Exception {
        try (TeamsHarness t = harness(data)) {
            String url = t.serviceUrl();
            String good = token("key-1", KEY, APP_ID, url);
            String[] parts = good.split("\\.");
            java.util.List<String> malformed = java.util.List.of(
                    "Bearer not-a-jwt",
                    "Bearer " + parts[0] + "." + parts[1],                                   // two segments
                    "Bearer " + good + ".extra",                                            // four segments
                    "Bearer %%%.***.$$$",                                                   // not base64url
                    "Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes()) + "." + parts[1] + "." + parts[2],
                    "Bearer ",
                    "Basic dXNlcjpwYXNz",
                    "Bearer " + parts[0] + "..");
            int before = count(t.logs(), "request refused");
            for (String auth : malformed) {
                assertEquals(401, t.post(t.personal("hello"), auth), "refused cleanly: " + auth);
            }
            String logs = t.logs();
            assertEquals(before + malformed.size(), count(logs, "request refused"), "one log line per refused request:\n" + logs);
            assertFalse(logs.contains("ERROR"), "no error logged:\n" + logs);
            assertFalse(logs.contains("\tat "), "no stack trace logged:\n" + logs);
            assertTrue(t.connector.requests().stream().noneMatch(r -> r.path().startsWith("/v3/")), "no conversation reached");
            assertEquals(202, t.post(t.personal("hello"), bearer(good)), "the control: a good token after them is taken");
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void singleTenantAppGetsItsOutboundTokenFromItsTenant(@TempDir Path data) throws Exception {
        try (TeamsHarness t = harness(data)) {
            assertEquals(202, t.post(t.personal("hello"), bearer(token("key-1", KEY, APP_ID, t.serviceUrl()))));
            Recorded send = t.awaitUserCard(0, "What do you need help with?");
            assertEquals("Bearer outbound-token-1", send.headers().get("authorization"), "the Bot Connector call carries our token");
            Recorded tokenCall = t.connector.requests().stream().filter(r -> r.path().endsWith("/oauth2/v2.0/token")).findFirst()
                    .orElseThrow();
            assertEquals("/" + TENANT + "/oauth2/v2.0/token", tokenCall.path(), "asked the app's tenant, not botframework.com");
            assertTrue(tokenCall.body().contains("grant_type=client_credentials"), tokenCall.body());
            assertTrue(tokenCall.body().contains("client_id=" + APP_ID), tokenCall.body());
            assertTrue(tokenCall.body().contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default"), tokenCall.body());
            assertTrue(t.logs().contains("SingleTenant, tenant " + TENANT), "the identity is logged (without the secret)");
            assertTrue(!t.logs().contains("client-secret-of-the-app"), "the client secret is never logged");
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String token(String kid, KeyPair key, String audience, String serviceUrl) {
        Instant now = Instant.now();
        return JWT.create().withKeyId(kid).withIssuer("https://api.botframework.com").withAudience(audience)
                .withClaim("serviceurl", serviceUrl).withIssuedAt(Date.from(now)).withNotBefore(Date.from(now.minusSeconds(60)))
                .withExpiresAt(Date.from(now.plusSeconds(600)))
                .sign(Algorithm.RSA256((RSAPublicKey) key.getPublic(), (RSAPrivateKey) key.getPrivate()));
    }

    private static String jwk(String kid, RSAPublicKey key) {
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"n\":\"" + b64(key.getModulus()) + "\",\"e\":\""
                + b64(key.getPublicExponent()) + "\",\"endorsements\":[\"msteams\"]}";
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
