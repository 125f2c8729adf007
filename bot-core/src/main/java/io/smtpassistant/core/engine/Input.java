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

    /** A stage of the running check finished. */
    record CheckProgress(int runId, StageResult stage) implements Input {
    }

    /** The check finished. */
    record CheckDone(int runId, CheckReport report) implements Input {
    }

    /**
     * The check was not started: the user has used up their {@link CheckQuota}. {@code retryAfter} is how long
     * until the next check may start.
     */
    record CheckLimited(int runId, java.time.Duration retryAfter) implements Input {
    }

    /** The MX hosts of the sender's domain, lowest preference first (empty when none or DNS failed). */
    record MxFound(String domain, List<String> mxHosts) implements Input {
        public MxFound {
            mxHosts = List.copyOf(mxHosts);
        }
    }

    /** The support request was stored; its id may now be shown. */
    record RequestOpened(String requestId) implements Input {
    }

    /** Storing the support request failed. */
    record RequestFailed(String reason) implements Input {
    }

    /** Support changed the request's status (claimed, resolved). */
    record RequestUpdated(String requestId, String status, String actor, String note) implements Input {
    }

    /** A support agent wrote to the requester. */
    record SupportMessage(String requestId, String author, String text) implements Input {
    }

    /** The global commands, in every language and at any point. */
    enum CommandKind {
        HELP, RESTART, CANCEL, BACK, HUMAN
    }
}
