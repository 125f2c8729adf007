package io.smtpassistant.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.check.LoginMethod;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.core.oauth.DeviceCode;
import io.smtpassistant.core.oauth.DeviceCodeSignIn;
import io.smtpassistant.core.oauth.SignInFailure;
import io.smtpassistant.core.oauth.SignInResult;
import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The sign-in effect in the {@link DefaultEffectHandler}: the token stays inside it (the engine hears
 * "signed in as X" and the check's result), the check logs in with XOAUTH2 as the signed-in account,
 * the token is cleared after it, and a stop from the user ends the wait. The sign-in itself is a small
 * scripted implementation of our own {@link DeviceCodeSignIn} interface (the end-to-end tests use the real
 * one against the local test authority).
 */
class SignInEffectTest {

    static final String CANARY_TOKEN = "eyJ0eXAi.Canary-token-91c2";
    static final DeviceCode CODE = new DeviceCode("https://microsoft.com/devicelogin", "FJ7KQ2LXP", Instant.parse("2026-11-27T09:15:00Z"));
    static final CheckRequest CHECK = CheckRequest.builder("smtp.office365.com").port(587).security(Security.STARTTLS)
            .sender("jobs@contoso.example").providerHint("microsoft365").build();

    /** Shows the code, then ends with {@code result}. */
    record Scripted(SignInResult result) implements DeviceCodeSignIn {
        @Override
        public SignInResult signIn(String loginHint, java.util.function.Consumer<DeviceCode> onCode,
                                   java.util.function.BooleanSupplier cancelled) {
            onCode.accept(CODE);
            return result;
        }
    }

    /** What the checker was asked to do, and whether the token was still there while it ran. */
    static final class RecordingChecker implements SmtpChecker {
        final AtomicReference<CheckRequest> seen = new AtomicReference<>();
        final AtomicReference<String> tokenAtCheck = new AtomicReference<>();

        @Override
        public io.smtpassistant.core.check.CheckReport check(CheckRequest request, io.smtpassistant.core.check.CheckListener listener) {
            seen.set(request);
            tokenAtCheck.set(new String(request.password().reveal()));
            return EnginePropertiesTestSupport.report(DiagnosisCode.OK);
        }
    }

    /** One support desk for every test (none of them opens a request). */
    private static final EngineScript.InMemoryDesk DESK = new EngineScript.InMemoryDesk();

    private static DefaultEffectHandler handler(SmtpChecker checker, DeviceCodeSignIn signIn, CheckQuota quota) {
        return new DefaultEffectHandler(checker, d -> List.of("contoso-recruiting-example.mail.protection.outlook.com"), DESK.workflow, () -> { }, true, quota,
                java.time.Clock.systemUTC(), DefaultEffectHandler::keyOnly, signIn);
    }

    @Test
    void signedInRunsTheXoauth2CheckAsTheAccountAndTheTokenNeverLeavesTheHandler() {
        RecordingChecker checker = new RecordingChecker();
        Secret token = Secret.of(CANARY_TOKEN);
        List<Input> inputs = new ArrayList<>();
        handler(checker, new Scripted(new SignInResult.SignedIn(token, "jobs@contoso.example")), CheckQuota.unlimited())
                .handle(EngineScript.KEY, new Effect.SignIn(4, "jobs@contoso.example", CHECK), inputs::add);

        assertEquals(List.of(Input.SignInCode.class, Input.SignedIn.class, Input.CheckDone.class),
                inputs.stream().map(Object::getClass).toList());
        assertEquals(new Input.SignedIn(4, "jobs@contoso.example"), inputs.get(1));
        assertEquals(4, ((Input.CheckDone) inputs.get(2)).runId());
        CheckRequest r = checker.seen.get();
        assertEquals(LoginMethod.XOAUTH2, r.loginMethod());
        assertEquals("jobs@contoso.example", r.username());
        assertEquals("smtp.office365.com", r.host());
        assertEquals(587, r.port());
        assertEquals(CANARY_TOKEN, checker.tokenAtCheck.get());
        assertTrue(token.isCleared(), "the token is used for one check and cleared");
        assertFalse(inputs.toString().contains(CANARY_TOKEN), "no input carries the token");
        assertFalse(r.toString().contains(CANARY_TOKEN));
    }

    @Test
    void withoutAnAccountNameTheLoginHintLogsIn() {
        RecordingChecker checker = new RecordingChecker();
        List<Input> inputs = new ArrayList<>();
        handler(checker, new Scripted(new SignInResult.SignedIn(Secret.of(CANARY_TOKEN), "")), CheckQuota.unlimited())
                .handle(EngineScript.KEY, new Effect.SignIn(1, "hr@contoso.example", CHECK), inputs::add);
        assertEquals("hr@contoso.example", checker.seen.get().username());
        assertEquals(new Input.SignedIn(1, "hr@contoso.example"), inputs.get(1));
    }

    @Test
    void aFailedSignInRunsNoCheck() {
        RecordingChecker checker = new RecordingChecker();
        List<Input> inputs = new ArrayList<>();
        handler(checker, new Scripted(new SignInResult.Failed(SignInFailure.CONSENT_REQUIRED, "AADSTS65001", "consent")),
                CheckQuota.unlimited()).handle(EngineScript.KEY, new Effect.SignIn(2, "", CHECK), inputs::add);
        assertEquals(new Input.SignInFailed(2, SignInFailure.CONSENT_REQUIRED, "AADSTS65001", "consent"), inputs.getLast());
        assertEquals(null, checker.seen.get());
    }

    @Test
    void withoutASignInConfiguredTheEffectFailsAsNotConfigured() {
        List<Input> inputs = new ArrayList<>();
        handler(new RecordingChecker(), null, CheckQuota.unlimited()).handle(EngineScript.KEY, new Effect.SignIn(2, "", CHECK), inputs::add);
        assertEquals(SignInFailure.OTHER, assertInstanceOf(Input.SignInFailed.class, inputs.getFirst()).failure());
    }

    @Test
    void aUsedUpQuotaStartsNoSignIn() {
        List<Input> inputs = new ArrayList<>();
        CheckQuota one = CheckQuota.perUser(1, Duration.ofMinutes(10), java.time.Clock.systemUTC());
        DefaultEffectHandler h = handler(new RecordingChecker(), new Scripted(new SignInResult.Cancelled()), one);
        h.handle(EngineScript.KEY, new Effect.SignIn(1, "", CHECK), inputs::add);
        h.handle(EngineScript.KEY, new Effect.SignIn(2, "", CHECK), inputs::add);
        assertInstanceOf(Input.CheckLimited.class, inputs.getLast());
    }

    @Test
    void stopSignInEndsTheWaitOfThatRun() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        DeviceCodeSignIn waitsForCancel = (hint, onCode, cancelled) -> {
            onCode.accept(CODE);
            polling.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!cancelled.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    return new SignInResult.Failed(SignInFailure.EXPIRED, "expired_token", "");
                }
                Thread.sleep(5);
            }
            return new SignInResult.Cancelled();
        };
        DefaultEffectHandler h = handler(new RecordingChecker(), waitsForCancel, CheckQuota.unlimited());
        List<Input> inputs = Collections.synchronizedList(new ArrayList<>());
        Thread running = Thread.ofVirtual().start(() -> h.handle(EngineScript.KEY, new Effect.SignIn(7, "", CHECK), inputs::add));
        assertTrue(polling.await(5, TimeUnit.SECONDS));
        h.handle(EngineScript.KEY, new Effect.StopSignIn(7), inputs::add);
        running.join(Duration.ofSeconds(10));
        assertEquals(new Input.SignInCancelled(7), inputs.getLast());
    }

    @Test
    void theWholeConversationThroughTheHandlerPassesAndHoldsNoToken() {
        RecordingChecker checker = new RecordingChecker();
        EngineScript s = EngineScript.with(Locale.ENGLISH, SignInStepTest.WITH_SIGN_IN,
                handler(checker, new Scripted(new SignInResult.SignedIn(Secret.of(CANARY_TOKEN), SignInStepTest.SENDER)),
                        CheckQuota.unlimited())).secret(CANARY_TOKEN);
        s.send("hi").choose("Set up").choose("A mailbox with its own")
                .send(new Input.FormSubmit("sender", Map.of("sender", SignInStepTest.SENDER), null))
                .expectText("looking up").expectQuestion("Looks like Microsoft 365").choose("Yes")
                .expectQuestion("Do several people send").choose("No")
                .expectQuestion("How does the recruiting service log in").choose("Sign in with Microsoft")
                .expectText("Asking Microsoft")
                .expectReply(Reply.SignInCode.class, c -> c.userCode().equals("FJ7KQ2LXP"))
                .expectText("Signed in as " + SignInStepTest.SENDER)
                .expectSomewhere(Reply.Report.class, r -> r.diagnosisCode().equals("OK"));
        assertEquals(LoginMethod.XOAUTH2, checker.seen.get().loginMethod());
        assertFalse(new String(new ConversationCodec().encode(s.state), java.nio.charset.StandardCharsets.UTF_8).contains(CANARY_TOKEN));
    }
}
