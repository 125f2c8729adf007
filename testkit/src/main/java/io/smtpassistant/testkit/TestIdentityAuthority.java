package io.smtpassistant.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Microsoft identity platform for the device authorization grant: {@code /{tenant}/oauth2/v2.0/devicecode}
 * and {@code /{tenant}/oauth2/v2.0/token} over HTTPS on 127.0.0.1, with a certificate from a {@link TestPki} (the
 * client must trust that CA; nothing here turns verification off). It issues a random device code and user code,
 * then answers the polls with a script of {@link Reply}s, one per poll from the moment the script is set, the last
 * repeating. Replies are shaped
 * after Microsoft's documented error responses ({@code error}, {@code error_description} starting with the AADSTS
 * number, {@code error_codes}, {@code timestamp}, {@code trace_id}, {@code correlation_id}, {@code error_uri}).
 *
 * <p>Like the real platform it checks the client id (unknown: AADSTS700016 at either endpoint), the grant type and
 * the device code (unknown: {@code bad_verification_code}). Every request is recorded with its form fields.
 *
 * <pre>{@code
 * try (TestIdentityAuthority idp = TestIdentityAuthority.start(pki)) {
 *     idp.script(Reply.pending(), Reply.pending(), Reply.token("Canary-token", "hr@contoso.com"));
 *     // point the client at idp.authority(), client id TestIdentityAuthority.CLIENT_ID, trusting pki.clientContext()
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class TestIdentityAuthority implements AutoCloseable {

    /** The client id the authority knows. */
    public static final String CLIENT_ID = "5e2f5b1c-0b6f-4b8e-9c1a-7d3e2a9f4c10";
    public static final String TENANT = "organizations";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** One request as received: which endpoint ({@code devicecode} or {@code token}) and its form fields. */
    public record Recorded(String endpoint, Map<String, String> form) {
    }

    /** One scripted answer: an HTTP status and a JSON body. */
    public record Reply(int status, String json) {

        /** {@code authorization_pending}: the user has not finished signing in. */
        public static Reply pending() {
            return error(400, "authorization_pending", 70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
        }

        /** {@code slow_down}: RFC 8628's request to poll 5 s slower. */
        public static Reply slowDown() {
            return error(400, "slow_down", 0, "The client is polling too quickly and should back off.");
        }

        /** {@code authorization_declined}: the user pressed "No" on the verification page. */
        public static Reply declined() {
            return error(400, "authorization_declined", 70000, "The user denied the authorization request.");
        }

        /** {@code expired_token}: the code's time ran out. */
        public static Reply expired() {
            return error(400, "expired_token", 70019, "Verification code expired.");
        }

        /** {@code bad_verification_code}: a device code the platform does not know. */
        public static Reply badVerificationCode() {
            return error(400, "bad_verification_code", 70000, "The provided value for the input parameter 'device_code' is not valid.");
        }

        /** AADSTS65001: the app is not consented in the tenant. */
        public static Reply consentRequired() {
            return error(400, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '"
                    + CLIENT_ID + "' named 'smtp-assistant'. Send an interactive authorization request for this user and resource.");
        }

        /** AADSTS7000218: "Allow public client flows" is off for the app registration. */
        public static Reply publicClientFlowsDisabled() {
            return error(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }

        /** AADSTS50020: the user belongs to another tenant. */
        public static Reply otherTenant() {
            return error(400, "invalid_grant", 50020, "User account 'it@fabrikam.example' from identity provider "
                    + "'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/' does not exist in tenant 'Contoso' and cannot "
                    + "access the application '" + CLIENT_ID + "'(smtp-assistant) in that tenant. The account needs to be added as "
                    + "an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.");
        }

        /** AADSTS53003: blocked by conditional access. */
        public static Reply conditionalAccess() {
            return error(400, "invalid_grant", 53003,
                    "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
        }

        /** AADSTS50076: multi-factor authentication required by the administrator. */
        public static Reply mfaRequired() {
            return error(400, "invalid_grant", 50076, "Due to a configuration change made by your administrator, or because you "
                    + "moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.");
        }

        /** AADSTS700016: the client id is unknown in the directory. */
        public static Reply unknownApp() {
            return error(400, "unauthorized_client", 700016, "Application with identifier '" + CLIENT_ID + "' was not found in the "
                    + "directory 'Contoso'. This can happen if the application has not been installed by the administrator of the "
                    + "tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");
        }

        /** An HTTP 503 with an HTML body, as a broken proxy in front would answer. */
        public static Reply unavailable() {
            return new Reply(503, "<html><body>Service Unavailable</body></html>");
        }

        /**
         * Success: a bearer token for SMTP.Send and an id token naming {@code account} ({@code preferred_username});
         * {@code account} "" leaves the id token out.
         */
        public static Reply token(String accessToken, String account) {
            ObjectNode body = JSON.createObjectNode()
                    .put("token_type", "Bearer")
                    .put("scope", "https://outlook.office.com/SMTP.Send openid profile")
                    .put("expires_in", 4779)
                    .put("ext_expires_in", 4779)
                    .put("access_token", accessToken);
            if (!account.isEmpty()) {
                body.put("id_token", idToken(account));
            }
            return new Reply(200, body.toString());
        }

        /** Any error body in Microsoft's shape; {@code aadsts} 0 leaves the number out. */
        public static Reply error(int status, String error, long aadsts, String text) {
            Instant now = Instant.now();
            String trace = UUID.randomUUID().toString();
            String correlation = UUID.randomUUID().toString();
            String description = (aadsts > 0 ? "AADSTS" + aadsts + ": " : "") + text + "\r\nTrace ID: " + trace
                    + "\r\nCorrelation ID: " + correlation + "\r\nTimestamp: " + MS_TIME.format(now);
            ObjectNode body = JSON.createObjectNode().put("error", error).put("error_description", description);
            if (aadsts > 0) {
                body.putArray("error_codes").add(aadsts);
            }
            body.put("timestamp", MS_TIME.format(now)).put("trace_id", trace).put("correlation_id", correlation);
            if (aadsts > 0) {
                body.put("error_uri", "https://login.microsoftonline.com/error?code=" + aadsts);
            }
            return new Reply(status, body.toString());
        }

        private static String idToken(String account) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"test\"}".getBytes(StandardCharsets.UTF_8));
            ObjectNode claims = JSON.createObjectNode().put("aud", CLIENT_ID)
                    .put("iss", "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")
                    .put("name", "Test User").put("preferred_username", account)
                    .put("tid", "9188040d-6c67-4c5b-b112-36a304b66dad");
            String payload = b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString("not-a-real-signature".getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Recorded> requests = new ArrayList<>();
    private final String deviceCode = "DAQABIQEAAAD" + UUID.randomUUID().toString().replace("-", "") + "-device-code";
    private final String userCode = "T" + Integer.toString(Math.floorMod(UUID.randomUUID().hashCode(), 36 * 36 * 36 * 36), 36)
            .toUpperCase(java.util.Locale.ROOT) + "K9Q";
    private List<Reply> script = List.of(Reply.pending());
    private Reply deviceCodeError;
    private long interval = 1;
    private long expiresIn = 900;
    private int polls;
    private int scriptStart;

    private TestIdentityAuthority(TestPki pki) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext("localhost", "127.0.0.1")));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on 127.0.0.1 with a certificate for localhost and 127.0.0.1 signed by {@code pki}'s CA. */
    public static TestIdentityAuthority start(TestPki pki) throws IOException {
        return new TestIdentityAuthority(Objects.requireNonNull(pki, "pki"));
    }

    /** {@code https://127.0.0.1:PORT/organizations} (the certificate names 127.0.0.1): give this as the authority. */
    public String authority() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/" + TENANT;
    }

    /** What the polls get, in order; the last reply repeats. */
    public synchronized TestIdentityAuthority script(Reply... replies) {
        if (replies.length == 0) {
            throw new IllegalArgumentException("script needs at least one reply, e.g. Reply.token(\"t\", \"hr@contoso.com\")");
        }
        this.script = List.of(replies);
        this.scriptStart = polls;
        return this;
    }

    /** The device code request itself fails with {@code reply} (e.g. {@link Reply#unknownApp()}). */
    public synchronized TestIdentityAuthority deviceCodeFails(Reply reply) {
        this.deviceCodeError = reply;
        return this;
    }

    /**
     * Forgets the requests, the script and the settings, as if just started (same port, device code and user
     * code): one authority can serve a whole test class, since starting and stopping a server costs up to a second.
     */
    public synchronized TestIdentityAuthority reset() {
        requests.clear();
        polls = 0;
        scriptStart = 0;
        script = List.of(Reply.pending());
        deviceCodeError = null;
        interval = 1;
        expiresIn = 900;
        return this;
    }

    /** The {@code interval} (seconds) in the device code response; default 1. */
    public synchronized TestIdentityAuthority interval(long seconds) {
        this.interval = seconds;
        return this;
    }

    /** The {@code expires_in} (seconds) in the device code response; default 900. */
    public synchronized TestIdentityAuthority expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** The device code this authority issues (a bearer value: canary tests look for it in outputs). */
    public String deviceCode() {
        return deviceCode;
    }

    /** The user code shown to the user. */
    public String userCode() {
        return userCode;
    }

    /** The verification page named in the device code response. */
    public String verificationUri() {
        return "https://microsoft.com/devicelogin";
    }

    /** Every request so far, in arrival order. */
    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** How many token requests (polls) arrived. */
    public synchronized int polls() {
        return polls;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String prefix = "/" + TENANT + "/oauth2/v2.0/";
            String endpoint = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
            Reply reply;
            synchronized (this) {
                requests.add(new Recorded(endpoint, form));
                reply = answer(ex.getRequestMethod(), endpoint, form);
            }
            byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", reply.json().startsWith("<")
                    ? "text/html" : "application/json; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store, no-cache");
            ex.sendResponseHeaders(reply.status(), bytes.length);
            ex.getResponseBody().write(bytes);
        }
    }

    private Reply answer(String method, String endpoint, Map<String, String> form) {
        if (!"POST".equals(method)) {
            return Reply.error(405, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a " + method + " request.");
        }
        boolean knownClient = CLIENT_ID.equals(form.get("client_id"));
        switch (endpoint) {
            case "devicecode" -> {
                if (!knownClient) {
                    return Reply.unknownApp();
                }
                if (deviceCodeError != null) {
                    return deviceCodeError;
                }
                if (!form.getOrDefault("scope", "").contains("https://outlook.office.com/SMTP.Send")) {
                    return Reply.error(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter.");
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("user_code", userCode);
                body.put("device_code", deviceCode);
                body.put("verification_uri", verificationUri());
                body.put("expires_in", expiresIn);
                body.put("interval", interval);
                body.put("message", "To sign in, use a web browser to open the page " + verificationUri() + " and enter the code "
                        + userCode + " to authenticate.");
                return new Reply(200, JSON.valueToTree(body).toString());
            }
            case "token" -> {
                if (!"urn:ietf:params:oauth:grant-type:device_code".equals(form.get("grant_type"))) {
                    return Reply.error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
                }
                if (!knownClient) {
                    return Reply.unknownApp();
                }
                if (!deviceCode.equals(form.get("device_code"))) {
                    return Reply.badVerificationCode();
                }
                Reply reply = script.get(Math.min(polls - scriptStart, script.size() - 1));
                polls++;
                return reply;
            }
            default -> {
                return Reply.error(404, "invalid_request", 90002, "Tenant '" + endpoint + "' not found.");
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
