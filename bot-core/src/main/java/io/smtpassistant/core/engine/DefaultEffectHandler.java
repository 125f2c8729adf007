package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckListener;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.SmtpChecker;
import io.smtpassistant.core.check.StageResult;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out the engine's effects with the live checker, the MX resolver and the support desk. */
public final class DefaultEffectHandler implements EffectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultEffectHandler.class);

    private final SmtpChecker checker;
    private final MxResolver mx;
    private final SupportDesk desk;
    private final CheckQuota quota;

    /** Without a limit on checks: the terminal chat. */
    public DefaultEffectHandler(SmtpChecker checker, MxResolver mx, SupportDesk desk) {
        this(checker, mx, desk, CheckQuota.unlimited());
    }

    /** With a per-user limit on checks: the chat platforms. */
    public DefaultEffectHandler(SmtpChecker checker, MxResolver mx, SupportDesk desk, CheckQuota quota) {
        this.checker = checker;
        this.mx = mx;
        this.desk = desk;
        this.quota = quota;
    }

    @Override
    public void handle(ConversationKey key, Effect effect, Consumer<Input> feedback) {
        switch (effect) {
            case Effect.RunCheck run -> {
                Optional<Duration> wait = quota.tryTake(key);
                if (wait.isPresent()) {
                    if (run.request().password() != null) {
                        run.request().password().clear(); // used for no check: cleared all the same
                    }
                    LOG.info("check refused for {}: more than {} checks in {}", key, quota.checks(), quota.window());
                    feedback.accept(new Input.CheckLimited(run.runId(), wait.get()));
                    return;
                }
                CheckReport report = checker.check(run.request(), new CheckListener() {
                    @Override
                    public void onStage(StageResult result) {
                        feedback.accept(new Input.CheckProgress(run.runId(), result));
                    }
                });
                feedback.accept(new Input.CheckDone(run.runId(), report));
            }
            case Effect.LookupMx lookup -> feedback.accept(new Input.MxFound(lookup.domain(), mx.mx(lookup.domain())));
            case Effect.OpenRequest open -> {
                try {
                    feedback.accept(new Input.RequestOpened(desk.open(open.draft())));
                } catch (Exception e) {
                    LOG.error("storing a support request for {} failed", key, e);
                    feedback.accept(new Input.RequestFailed(e.getClass().getSimpleName()));
                }
            }
            case Effect.NotifySupport notify -> desk.notifySupport(notify.requestId());
            case Effect.RelayToSupport relay -> desk.relay(relay.requestId(), relay.author(), relay.text());
        }
    }
}
