package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckListener;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckRequest;
import io.smtpassistant.core.oauth.DeviceCodeSignIn;
import io.smtpassistant.core.oauth.SignInFailure;
import io.smtpassistant.core.oauth.SignInResult;
import io.smtpassistant.core.shared.Meters;
import java.util.concurrent.ConcurrentHashMap;
import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.core.support.NewSupportRequest;
import io.smtpassistant.core.support.RequestStatus;
import io.smtpassistant.core.support.Requester;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportWorkflow;
import io.smtpassistant.core.support.TreeStep;
import io.smtpassistant.core.support.WorkflowOutcome;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the engine's effects with the live checker, the MX resolver and the
 * {@link SupportWorkflow}: support requests are opened and followed up there (state and event in one
 * commit); the outbox relay, not this class, tells the support channels.
 */
public final class DefaultEffectHandler implements EffectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultEffectHandler.class);

    private final SmtpChecker checker;
    private final MxResolver mx;
    private final SupportWorkflow workflow;
    private final Runnable written;
    private final boolean supportReached;
    private final CheckQuota quota;
    private final Clock clock;
    private final Function<ConversationKey, Requester> requester;
    /** The device-code sign-in for Microsoft 365, or {@code null} when no app registration is configured. */
    private final DeviceCodeSignIn microsoftSignIn;
    /** The highest sign-in run each conversation's user stopped (read by the running sign-in's poll). */
    private final ConcurrentHashMap<ConversationKey, Integer> stoppedSignIns = new ConcurrentHashMap<>();

    /** Who a conversation's person is when only the key is known: platform, user id and workspace. */
    public static Requester keyOnly(ConversationKey key) {
        return new Requester(key.platform(), key.user(), "", "", key.workspace());
    }

    /**
     * @param written        called after an event was committed (wakes this process's relay); may do nothing
     * @param supportReached whether a support channel is configured (the requester is told where the request went)
     * @param quota          per-user limit on checks ({@link CheckQuota#unlimited()} in the terminal)
     * @param requester      who a conversation's person is, for the request (name, e-mail, workspace); its
     *                       display name is used when the draft has none
     */
    private volatile io.smtpassistant.core.support.OutcomeStore outcomes;

    public DefaultEffectHandler(SmtpChecker checker, MxResolver mx, SupportWorkflow workflow, Runnable written,
                                boolean supportReached, CheckQuota quota, Clock clock,
                                Function<ConversationKey, Requester> requester) {
        this(checker, mx, workflow, written, supportReached, quota, clock, requester, null);
    }

    /**
     * @param microsoftSignIn the device-code sign-in for Microsoft 365 ({@code SMTP_ASSISTANT_MS_CLIENT_ID} set), or
     *                        {@code null}: then the engine must not offer it ({@link EngineConfig#microsoftSignIn()})
     *                        and a sign-in effect fails as not configured
     */
    public DefaultEffectHandler(SmtpChecker checker, MxResolver mx, SupportWorkflow workflow, Runnable written,
                                boolean supportReached, CheckQuota quota, Clock clock,
                                Function<ConversationKey, Requester> requester, DeviceCodeSignIn microsoftSignIn) {
        this.microsoftSignIn = microsoftSignIn;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requester = Objects.requireNonNull(requester, "requester");
        this.checker = Objects.requireNonNull(checker, "checker");
        this.mx = Objects.requireNonNull(mx, "mx");
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        this.written = Objects.requireNonNull(written, "written");
        this.supportReached = supportReached;
        this.quota = Objects.requireNonNull(quota, "quota");
    }

    /** Where {@link Effect.RecordOutcome} goes (the request database's outcome table); without it outcomes are not kept. */
    public DefaultEffectHandler withOutcomes(io.smtpassistant.core.support.OutcomeStore store) {
        this.outcomes = store;
        return this;
    }

    private void check(ConversationKey key, int runId, CheckRequest request, Consumer<Input> feedback) {
        CheckReport report = checker.check(request, new CheckListener() {
            @Override
            public void onStage(StageResult result) {
                feedback.accept(new Input.CheckProgress(runId, result));
            }
        });
        Meters.check(report, key.platform());
        feedback.accept(new Input.CheckDone(runId, report));
    }

    /**
     * The device-code sign-in, then the check with the token. The token lives only in this method: the
     * engine hears "signed in as X" and the check's result; the checker clears the token after the check
     * (and it is cleared here too, should building the request fail).
     */
    private void signIn(ConversationKey key, Effect.SignIn s, Consumer<Input> feedback) {
        int runId = s.runId();
        if (microsoftSignIn == null) {
            feedback.accept(new Input.SignInFailed(runId, SignInFailure.OTHER, "", "the sign-in with Microsoft is not configured"));
            return;
        }
        Optional<Duration> wait = quota.tryTake(key);
        if (wait.isPresent()) {
            LOG.info("sign-in check refused for {}: more than {} checks in {}", key, quota.checks(), quota.window());
            Meters.quotaRefused("sign_in");
            feedback.accept(new Input.CheckLimited(runId, wait.get()));
            return;
        }
        SignInResult result;
        try {
            result = microsoftSignIn.signIn(s.loginHint(), code -> feedback.accept(new Input.SignInCode(runId, code)),
                    () -> stoppedSignIns.getOrDefault(key, Integer.MIN_VALUE) >= runId || Thread.currentThread().isInterrupted());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new SignInResult.Cancelled();
        } catch (RuntimeException e) {
            LOG.warn("the sign-in of {} failed unexpectedly: {}", key, e.getClass().getSimpleName());
            result = new SignInResult.Failed(SignInFailure.UNREACHABLE, "", e.getClass().getSimpleName());
        } finally {
            stoppedSignIns.computeIfPresent(key, (k, stopped) -> stopped <= runId ? null : stopped);
        }
        switch (result) {
            case SignInResult.SignedIn in -> {
                CheckRequest c = s.check();
                String user = !in.account().isEmpty() ? in.account() : !c.username().isEmpty() ? c.username() : s.loginHint();
                try {
                    CheckRequest withToken = CheckRequest.builder(c.host()).port(c.port()).security(c.security())
                            .xoauth2(user, in.accessToken()).sender(c.sender()).recipient(c.recipient())
                            .sendTestMessage(c.sendTestMessage()).deadline(c.deadline())
                            .allowPlaintextAuth(c.allowPlaintextAuth()).providerHint(c.providerHint()).build();
                    feedback.accept(new Input.SignedIn(runId, user));
                    check(key, runId, withToken, feedback);
                } finally {
                    in.accessToken().clear(); // used for this one check only
                }
            }
            case SignInResult.Failed f -> {
                LOG.info("the sign-in of {} failed: {} {}", key, f.failure(), f.errorCode());
                feedback.accept(new Input.SignInFailed(runId, f.failure(), f.errorCode(), f.detail()));
            }
            case SignInResult.Cancelled c -> feedback.accept(new Input.SignInCancelled(runId));
        }
    }

    @Override
    public void handle(ConversationKey key, Effect effect, Consumer<Input> feedback) {
        switch (effect) {
            case Effect.RunCheck run -> {
                Optional<Duration> wait;
                try {
                    wait = quota.tryTake(key);
                } catch (io.smtpassistant.core.shared.SharedStateUnavailable down) {
                    // the turn that asked for this check reached the shared state a moment ago; refusing now
                    // would tell the user a limit they did not hit, so the check runs uncounted (logged)
                    LOG.warn("check of {} not counted against the user's limit: {}", key, down.getMessage());
                    wait = Optional.empty();
                }
                if (wait.isPresent()) {
                    if (run.request().password() != null) {
                        run.request().password().clear(); // used for no check: cleared all the same
                    }
                    LOG.info("check refused for {}: more than {} checks in {}", key, quota.checks(), quota.window());
                    Meters.quotaRefused("check");
                    feedback.accept(new Input.CheckLimited(run.runId(), wait.get()));
                    return;
                }
                check(key, run.runId(), run.request(), feedback);
            }
            case Effect.SignIn signIn -> signIn(key, signIn, feedback);
            case Effect.StopSignIn stop -> stoppedSignIns.merge(key, stop.runId(), Math::max);
            case Effect.LookupMx lookup -> feedback.accept(new Input.MxFound(lookup.domain(), mx.mx(lookup.domain())));
            case Effect.OpenRequest open -> {
                SupportRequestDraft d = open.draft();
                try {
                    Requester known = requester.apply(key);
                    Requester who = new Requester(d.platform(), d.userId(),
                            d.displayName().isBlank() ? known.displayName() : d.displayName(),
                            d.email().isBlank() ? known.email() : d.email(),
                            d.workspace().isBlank() ? known.workspace() : d.workspace());
                    long opening = System.nanoTime();
                    WorkflowOutcome o = workflow.open(NewSupportRequest.of(who, d.summary(), d.settings(),
                            d.lastReport().orElse(null), d.path().stream().map(p -> new TreeStep(p.node(), p.answer())).toList(),
                            d.note(), clock.instant()));
                    Meters.store("support_requests", "open", System.nanoTime() - opening);
                    if (o instanceof WorkflowOutcome.Done done) {
                        written.run();
                        Meters.escalation(key.platform());
                        feedback.accept(new Input.RequestOpened(done.request().id(), done.masked(), supportReached));
                    } else {
                        LOG.error("opening a support request for {} was refused: {}", key, o.describe());
                        feedback.accept(new Input.RequestFailed(o.getClass().getSimpleName()));
                    }
                } catch (RuntimeException e) {
                    LOG.error("storing a support request for {} failed", key, e);
                    feedback.accept(new Input.RequestFailed(e.getClass().getSimpleName()));
                }
            }
            case Effect.RelayToSupport relay -> {
                SupportEvent.Actor me = new SupportEvent.Actor(key.platform(), key.user(), relay.author());
                WorkflowOutcome o = workflow.requesterMessage(relay.requestId(), me, relay.text());
                switch (o) {
                    case WorkflowOutcome.Done done -> {
                        written.run();
                        boolean reopened = done.request().history().stream().reduce((a, b) -> b)
                                .map(h -> h.from() == RequestStatus.RESOLVED && h.to() == RequestStatus.OPEN
                                        && !h.at().isBefore(done.event().map(SupportEvent::at).orElse(Instant.MAX)))
                                .orElse(false);
                        feedback.accept(new Input.FollowUp(relay.requestId(), true, done.masked(), reopened, ""));
                    }
                    default -> {
                        LOG.info("a message of {} to {} was not stored: {}", key, relay.requestId(), o.describe());
                        feedback.accept(new Input.FollowUp(relay.requestId(), false, false, false, o.describe()));
                    }
                }
            }
            case Effect.RecordOutcome o -> {
                if (outcomes == null) {
                    LOG.debug("no outcome store: the outcome of {} is not kept", key);
                    return;
                }
                try {
                    outcomes.record(o.outcome());
                } catch (RuntimeException storeDown) {
                    // statistics only: the user was told nothing about it, so nothing promised is lost
                    LOG.warn("the outcome of {} was not stored: {}", key, storeDown.getMessage());
                }
            }
            case Effect.RecordRecheck recheck -> {
                // named as support knows the requester ("Check re-run by Anna", not by a user id)
                SupportEvent.Actor me = new SupportEvent.Actor(key.platform(), key.user(), requester.apply(key).displayName());
                WorkflowOutcome o = workflow.recordRecheck(recheck.requestId(), me, recheck.report());
                if (o instanceof WorkflowOutcome.RerunDone) {
                    written.run();
                } else {
                    LOG.info("the re-check of {} was not recorded on {}: {}", key, recheck.requestId(), o.describe());
                }
            }
        }
    }
}
