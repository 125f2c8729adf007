package io.smtpassistant.core.oauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.testkit.TestIdentityAuthority;
import io.smtpassistant.testkit.TestIdentityAuthority.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The canary test of the sign-in: the access token and the device code (a bearer value for polling) must not
 * appear in the console (slf4j-simple writes to System.err), in any result's text, in a failure's detail or
 * in what the user is shown. The console must hold the sign-in's own log lines, so the test fails if capturing
 * stops working.
 */
class SignInSecretLeakTest {

    private static final String TOKEN = MicrosoftDeviceCodeSignInTest.TOKEN;

    private record Run(SignInResult result, List<DeviceCode> shown, String console, String deviceCode) {
        String everything() {
            return result + "\n" + shown + "\n" + console + "\n"
                    + (result instanceof SignInResult.Failed f ? f.detail() + " " + f.errorCode() : "");
        }
    }

    private static TestIdentityAuthority idp;

    @BeforeAll
    static void start() throws IOException {
        idp = TestIdentityAuthority.start(MicrosoftDeviceCodeSignInTest.PKI);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static Run run(Reply... script) throws InterruptedException {
        idp.reset().script(script);
        FakeTime time = new FakeTime();
        MicrosoftDeviceCodeSignIn signIn = new MicrosoftDeviceCodeSignIn(
                new MicrosoftSignInConfig(TestIdentityAuthority.CLIENT_ID, URI.create(idp.authority())),
                MicrosoftDeviceCodeSignInTest.trustingTestCa(), time.clock(), time);
        List<DeviceCode> shown = new ArrayList<>();
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SignInResult result;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            result = signIn.signIn("hr@contoso.example", shown::add, () -> false);
        } finally {
            System.setErr(old);
        }
        return new Run(result, shown, captured.toString(StandardCharsets.UTF_8), idp.deviceCode());
    }

    private static void assertClean(Run run) {
        String all = run.everything();
        assertTrue(run.console().contains("Microsoft sign-in"), "the console capture works: " + run.console());
        assertFalse(all.contains(TOKEN), "access token leaked:\n" + all);
        assertFalse(all.contains(run.deviceCode()), "device code leaked:\n" + all);
        assertFalse(all.contains(run.deviceCode().substring(0, 20)), "device code prefix leaked:\n" + all);
    }

    @Test
    void signedInLeaksNothing() throws InterruptedException {
        Run run = run(Reply.pending(), Reply.slowDown(), Reply.token(TOKEN, "hr@contoso.example"));
        SignInResult.SignedIn in = assertInstanceOf(SignInResult.SignedIn.class, run.result());
        assertTrue(new String(in.accessToken().reveal()).equals(TOKEN), "the token itself arrived");
        assertClean(run);
    }

    @Test
    void everyFailureLeaksNothing() throws InterruptedException {
        for (Reply failure : List.of(Reply.declined(), Reply.expired(), Reply.badVerificationCode(), Reply.consentRequired(),
                Reply.publicClientFlowsDisabled(), Reply.otherTenant(), Reply.conditionalAccess(), Reply.unknownApp(),
                Reply.unavailable())) {
            Run run = run(Reply.pending(), failure);
            assertInstanceOf(SignInResult.Failed.class, run.result());
            assertClean(run);
        }
    }

    @Test
    void anErrorTextEchoingTheDeviceCodeIsScrubbed() throws InterruptedException {
        idp.reset().script(Reply.error(400, "invalid_grant", 0, "Device code '" + idp.deviceCode() + "' is odd."));
        FakeTime time = new FakeTime();
        SignInResult result = new MicrosoftDeviceCodeSignIn(
                new MicrosoftSignInConfig(TestIdentityAuthority.CLIENT_ID, URI.create(idp.authority())),
                MicrosoftDeviceCodeSignInTest.trustingTestCa(), time.clock(), time).signIn("", d -> { }, () -> false);
        SignInResult.Failed failed = assertInstanceOf(SignInResult.Failed.class, result);
        assertFalse(failed.detail().contains(idp.deviceCode()), failed.detail());
        assertTrue(failed.detail().contains("Device code '***' is odd."), failed.detail());
    }
}
