package io.smtpassistant.core.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.testkit.TestIdentityAuthority;
import io.smtpassistant.testkit.TestIdentityAuthority.Reply;
import io.smtpassistant.testkit.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device-code sign-in against the local HTTPS test authority, one test per outcome the platform can play.
 * Time is {@link FakeTime}: polls at one-second intervals run without waiting.
 */
class MicrosoftDeviceCodeSignInTest {

    static final TestPki PKI = TestPki.create();
    static final String TOKEN = "Canary-eyJ0eXAiOiJKV1Qi-access-token-4c1f";
    static final String ACCOUNT = "hr@contoso.example";

    private static TestIdentityAuthority idp;
    private final FakeTime time = new FakeTime();
    private final List<DeviceCode> shown = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        idp = TestIdentityAuthority.start(PKI);
    }

    @BeforeEach
    void reset() {
        idp.reset();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().sslContext(PKI.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();

    /** One client for all tests (as production keeps one): connections are reused, the tests stay fast. */
    static HttpClient trustingTestCa() {
        return CLIENT;
    }

    private MicrosoftDeviceCodeSignIn signIn(String clientId) {
        return new MicrosoftDeviceCodeSignIn(new MicrosoftSignInConfig(clientId, URI.create(idp.authority())),
                trustingTestCa(), time.clock(), time);
    }

    private SignInResult run(AtomicBoolean cancelled) throws InterruptedException {
        return signIn(TestIdentityAuthority.CLIENT_ID).signIn(ACCOUNT, shown::add, cancelled::get);
    }

    private SignInResult run() throws InterruptedException {
        return run(new AtomicBoolean());
    }

    @Test
    void signsInAfterPendingPollsAndNamesTheAccount() throws InterruptedException {
        idp.script(Reply.pending(), Reply.pending(), Reply.token(TOKEN, ACCOUNT));
        SignInResult result = run();
        SignInResult.SignedIn in = assertInstanceOf(SignInResult.SignedIn.class, result);
        assertEquals(TOKEN, new String(in.accessToken().reveal()));
        assertEquals(ACCOUNT, in.account());
        assertEquals(3, idp.polls());
        assertEquals(Duration.ofSeconds(3), time.slept(), "one poll a second, as the interval says");
        assertEquals(List.of(new DeviceCode(idp.verificationUri(), idp.userCode(), FakeTime.START.plusSeconds(900))), shown);
    }

    @Test
    void asksForTheSmtpScopeWithoutOfflineAccess() throws InterruptedException {
        idp.script(Reply.token(TOKEN, ACCOUNT));
        run();
        TestIdentityAuthority.Recorded codeRequest = idp.requests().getFirst();
        assertEquals("devicecode", codeRequest.endpoint());
        assertEquals(Map.of("client_id", TestIdentityAuthority.CLIENT_ID,
                "scope", "https://outlook.office.com/SMTP.Send openid profile"), codeRequest.form());
        TestIdentityAuthority.Recorded poll = idp.requests().get(1);
        assertEquals(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", TestIdentityAuthority.CLIENT_ID, "device_code", idp.deviceCode()), poll.form());
    }

    @Test
    void tokenWithoutIdTokenLeavesTheAccountEmpty() throws InterruptedException {
        idp.script(Reply.token(TOKEN, ""));
        SignInResult.SignedIn in = assertInstanceOf(SignInResult.SignedIn.class, run());
        assertEquals("", in.account());
    }

    @Test
    void slowDownAddsFiveSecondsToTheInterval() throws InterruptedException {
        idp.script(Reply.slowDown(), Reply.pending(), Reply.token(TOKEN, ACCOUNT));
        assertInstanceOf(SignInResult.SignedIn.class, run());
        // 1 s before the first poll, then 6 s (1 + 5) before each of the next two
        assertEquals(Duration.ofSeconds(13), time.slept());
        assertEquals(3, idp.polls());
    }

    @Test
    void twoSlowDownsAddTenSeconds() throws InterruptedException {
        idp.script(Reply.slowDown(), Reply.slowDown(), Reply.token(TOKEN, ACCOUNT));
        assertInstanceOf(SignInResult.SignedIn.class, run());
        assertEquals(Duration.ofSeconds(1 + 6 + 11), time.slept());
    }

    @Test
    void everyNapIsAtMostOneSecondEvenWithALongInterval() throws InterruptedException {
        idp.interval(5).script(Reply.pending(), Reply.token(TOKEN, ACCOUNT));
        assertInstanceOf(SignInResult.SignedIn.class, run());
        assertEquals(Duration.ofSeconds(10), time.slept());
        assertTrue(time.naps().stream().allMatch(n -> n.compareTo(Duration.ofSeconds(1)) <= 0), time.naps().toString());
    }

    @Test
    void cancelStopsWithinASecondAndPollsNoMore() throws InterruptedException {
        idp.interval(5).script(Reply.pending());
        AtomicBoolean cancelled = new AtomicBoolean();
        Duration[] cancelledAt = new Duration[1];
        time.onNap(() -> {
            if (time.slept().compareTo(Duration.ofSeconds(7)) >= 0 && !cancelled.get()) {
                cancelled.set(true);
                cancelledAt[0] = time.slept();
            }
        });
        SignInResult result = run(cancelled);
        assertInstanceOf(SignInResult.Cancelled.class, result);
        assertNotNull(cancelledAt[0]);
        assertTrue(time.slept().minus(cancelledAt[0]).compareTo(Duration.ofSeconds(1)) <= 0,
                "noticed " + time.slept().minus(cancelledAt[0]) + " after the cancel");
        assertEquals(1, idp.polls(), "the poll at 5 s, none after the cancel at 7 s");
    }

    @Test
    void cancelledBeforeTheStartAsksNothing() throws InterruptedException {
        SignInResult result = run(new AtomicBoolean(true));
        assertInstanceOf(SignInResult.Cancelled.class, result);
        assertTrue(idp.requests().isEmpty());
        assertTrue(shown.isEmpty());
    }

    @Test
    void codeExpiresWhileTheUserDoesNothing() throws InterruptedException {
        idp.expiresIn(4).script(Reply.pending());
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, run());
        assertEquals(SignInFailure.EXPIRED, failed.failure());
        assertEquals(Duration.ofSeconds(4), time.slept());
        assertEquals(3, idp.polls(), "polls at 1, 2 and 3 s; at 4 s the code is gone");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("declined", (Supplier<Reply>) Reply::declined, SignInFailure.DECLINED, "authorization_declined"),
                Arguments.of("expired", (Supplier<Reply>) Reply::expired, SignInFailure.EXPIRED, "expired_token"),
                Arguments.of("bad code", (Supplier<Reply>) Reply::badVerificationCode, SignInFailure.OTHER, "bad_verification_code"),
                Arguments.of("consent", (Supplier<Reply>) Reply::consentRequired, SignInFailure.CONSENT_REQUIRED, "AADSTS65001"),
                Arguments.of("public client", (Supplier<Reply>) Reply::publicClientFlowsDisabled,
                        SignInFailure.PUBLIC_CLIENT_DISABLED, "AADSTS7000218"),
                Arguments.of("tenant", (Supplier<Reply>) Reply::otherTenant, SignInFailure.WRONG_TENANT, "AADSTS50020"),
                Arguments.of("conditional access", (Supplier<Reply>) Reply::conditionalAccess,
                        SignInFailure.CONDITIONAL_ACCESS, "AADSTS53003"),
                Arguments.of("mfa", (Supplier<Reply>) Reply::mfaRequired, SignInFailure.CONDITIONAL_ACCESS, "AADSTS50076"),
                Arguments.of("unknown app", (Supplier<Reply>) Reply::unknownApp, SignInFailure.UNKNOWN_APP, "AADSTS700016"),
                Arguments.of("unnumbered", (Supplier<Reply>) () -> Reply.error(400, "invalid_grant", 0, "Something new."),
                        SignInFailure.OTHER, "invalid_grant"),
                Arguments.of("unlisted number", (Supplier<Reply>) () -> Reply.error(400, "invalid_grant", 9999999, "Something new."),
                        SignInFailure.OTHER, "AADSTS9999999"),
                Arguments.of("html 503", (Supplier<Reply>) Reply::unavailable, SignInFailure.UNREACHABLE, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void eachPollErrorIsItsFailure(String name, Supplier<Reply> reply, SignInFailure failure, String code)
            throws InterruptedException {
        idp.script(Reply.pending(), reply.get());
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, run());
        assertEquals(failure, failed.failure(), failed.toString());
        assertEquals(code, failed.errorCode());
        assertEquals(2, idp.polls(), "no poll after a final error");
        assertFalse(failed.detail().isBlank());
        assertFalse(failed.detail().contains("\n") || failed.detail().contains("\r"), failed.detail());
        if (!code.isEmpty()) {
            assertTrue(failed.detail().contains("trace_id "), "support ids kept: " + failed.detail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void eachDeviceCodeErrorIsItsFailureAndShowsNoCode(String name, Supplier<Reply> reply, SignInFailure failure, String code)
            throws InterruptedException {
        idp.deviceCodeFails(reply.get());
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, run());
        assertEquals(failure, failed.failure());
        assertEquals(code, failed.errorCode());
        assertTrue(shown.isEmpty());
        assertEquals(0, idp.polls());
    }

    @Test
    void aClientIdTheDirectoryDoesNotKnowIsUnknownApp() throws InterruptedException {
        SignInResult result = signIn("00000000-1111-2222-3333-444444444444").signIn("", shown::add, () -> false);
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, result);
        assertEquals(SignInFailure.UNKNOWN_APP, failed.failure());
        assertTrue(failed.detail().startsWith("AADSTS700016: Application with identifier"), failed.detail());
    }

    @Test
    void anAuthorityNobodyListensOnIsUnreachable() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        MicrosoftDeviceCodeSignIn client = new MicrosoftDeviceCodeSignIn(new MicrosoftSignInConfig(TestIdentityAuthority.CLIENT_ID,
                URI.create("https://127.0.0.1:" + port + "/organizations")), trustingTestCa(), time.clock(), time);
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, client.signIn("", shown::add, () -> false));
        assertEquals(SignInFailure.UNREACHABLE, failed.failure());
        assertTrue(failed.detail().contains("127.0.0.1"), failed.detail());
    }

    @Test
    void anAuthorityWithACertificateFromAnotherCaIsNotTrusted() throws InterruptedException {
        HttpClient trustsOtherCa = HttpClient.newBuilder().sslContext(TestPki.create().clientContext()).build();
        MicrosoftDeviceCodeSignIn client = new MicrosoftDeviceCodeSignIn(new MicrosoftSignInConfig(TestIdentityAuthority.CLIENT_ID,
                URI.create(idp.authority())), trustsOtherCa, time.clock(), time);
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, client.signIn("", shown::add, () -> false));
        assertEquals(SignInFailure.UNREACHABLE, failed.failure());
        assertTrue(failed.detail().contains("SSLHandshakeException"), failed.detail());
        assertTrue(idp.requests().isEmpty());
    }

    @Test
    void interruptedWhileWaitingThrowsInterrupted() {
        idp.interval(5).script(Reply.pending());
        MicrosoftDeviceCodeSignIn client = new MicrosoftDeviceCodeSignIn(new MicrosoftSignInConfig(TestIdentityAuthority.CLIENT_ID,
                URI.create(idp.authority())), trustingTestCa(), time.clock(), d -> {
                    throw new InterruptedException("shutdown");
                });
        org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class, () -> client.signIn("", shown::add, () -> false));
        assertEquals(1, shown.size());
    }
}
