package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.StageResult;
import java.util.List;
import java.util.Map;

/**
 * Everything that can happen to a conversation: what the user did, and results of effects the
 * runtime carried out. Adapters create the user inputs; the runtime creates the rest.
 */
public sealed interface Input {

    /** Free text the user typed. Global commands (help, back, human…) are recognised in it. */
    record Text(String text) implements Input {
        public Text {
            text = text == null ? "" : text;
        }
    }

    /** The user picked a choice of the last question (by its id). */
    record Choice(String choiceId) implements Input {
    }

    /**
     * The user submitted a form. {@code password} is the secret field's value, or {@code null}; it
     * goes into a run-check effect or is cleared, never into state.
     */
    record FormSubmit(String formId, Map<String, String> values, Secret password) implements Input {
        public FormSubmit {
            values = Map.copyOf(values);
        }

        @Override
        public String toString() {
            return "FormSubmit[formId=" + formId + ", values=" + values + ", password=" + (password == null ? "none" : "<redacted>") + "]";
        }
    }

    /** A global command from a button or menu. */
    record Command(CommandKind kind) implements Input {
    }

    /**
     * The conversation continues after a pause in which what it waited for was lost: the instance was
     * restarted during a check, an MX lookup or the opening of a request, or the user came back to a
     * stored conversation (the terminal's resume). The engine says so and asks the current step again.
     */
    record Resume() implements Input {
    }

    /**
     * The user asked to see the current step again without answering it: a chat adapter that no
     * longer holds the form a clicked "open the form" button belongs to (another instance posted it,
     * or it was restarted) asks the engine for the current step instead of guessing. Changes nothing.
     */
    record ShowStep() implements Input {
    }

    /** A stage of the running check finished. */
    record CheckProgress(int runId, StageResult stage) implements Input {
    }

    /** The check finished. */
    record CheckDone(int runId, CheckReport report) implements Input {
    }

    /**
     * The user stopped the running check (Ctrl-C in the terminal): its connection is closed and a late
     * result of run {@code runId} is ignored; the settings entered are kept.
     */
    record CheckCancelled(int runId) implements Input {
    }

    /**
     * The check was not started: the user has used up their {@link CheckQuota}. {@code retryAfter} is how long
     * until the next check may start.
     */
    record CheckLimited(int runId, java.time.Duration retryAfter) implements Input {
    }

    /**
     * The identity platform gave the device code of sign-in run {@code runId}: the user is to open its page
     * and enter the code. Not a secret (useless without the user's own sign-in).
     */
    record SignInCode(int runId, io.smtpassistant.core.oauth.DeviceCode code) implements Input {
    }

    /**
     * The user signed in as {@code account} (or "" when the platform did not say); the check with the
     * token runs now and answers with {@link CheckProgress} and {@link CheckDone} of the same run. The
     * token itself is not here: it stays in the effect handler, so no input, state or log can hold it.
     */
    record SignedIn(int runId, String account) implements Input {
        public SignedIn {
            account = account == null ? "" : account;
        }
    }

    /** The sign-in of run {@code runId} failed; {@code errorCode} and {@code detail} as the platform said (never a token). */
    record SignInFailed(int runId, io.smtpassistant.core.oauth.SignInFailure failure, String errorCode, String detail)
            implements Input {
        public SignInFailed {
            errorCode = errorCode == null ? "" : errorCode;
            detail = detail == null ? "" : detail;
        }
    }

    /** The sign-in of run {@code runId} stopped without a result (the user stopped it, or a shutdown). */
    record SignInCancelled(int runId) implements Input {
    }

    /** The MX hosts of the sender's domain, lowest preference first (empty when none or DNS failed). */
    record MxFound(String domain, List<String> mxHosts) implements Input {
        public MxFound {
            mxHosts = List.copyOf(mxHosts);
        }
    }

    /**
     * The support request was stored (with its event in the outbox); its id may now be shown.
     *
     * @param noteMasked     text in the note that looked like a password was masked
     * @param supportReached whether a support channel is configured that will hear of it (else the
     *                       requester is told where the request went instead of "will reply here")
     */
    record RequestOpened(String requestId, boolean noteMasked, boolean supportReached) implements Input {
        public RequestOpened(String requestId) {
            this(requestId, false, true);
        }
    }

    /**
     * What became of a message the requester wrote to their request ({@link Effect.RelayToSupport}).
     *
     * @param stored   it is on the request (else {@code reason} says why not, e.g. resolved too long ago)
     * @param masked   text that looked like a password was masked
     * @param reopened the resolved request was reopened by it
     */
    record FollowUp(String requestId, boolean stored, boolean masked, boolean reopened, String reason) implements Input {
    }

    /** A support agent asked the requester to run the check again with their password. */
    record RecheckAsked(String requestId, String author) implements Input {
    }

    /** Storing the support request failed. */
    record RequestFailed(String reason) implements Input {
    }

    /** Support changed the request's status. */
    record RequestUpdated(String requestId, Status status, String actor, String note) implements Input {

        /** What support did to the request. */
        public enum Status {
            CLAIMED, RELEASED, RESOLVED, REOPENED;

            /** The status as a word ("claimed"), for log lines and notes. */
            public String id() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }

    /** A support agent wrote to the requester. */
    record SupportMessage(String requestId, String author, String text) implements Input {
    }

    /** The global commands, in every language and at any point. */
    enum CommandKind {
        HELP, RESTART, CANCEL, BACK, HUMAN
    }
}
