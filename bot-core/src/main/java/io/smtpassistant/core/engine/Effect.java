package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckRequest;

/**
 * Work the engine asks the runtime to do; the result comes back as an {@link Input}. Effects are
 * data, so transitions stay pure and testable.
 */
public sealed interface Effect {

    /**
     * Run a live check. The request holds the password ({@link io.smtpassistant.core.check.Secret}):
     * this effect is the only place it lives, and the check clears it.
     */
    record RunCheck(int runId, CheckRequest request) implements Effect {
    }

    /**
     * The modern sign-in for Microsoft 365: a device-code sign-in, then, when the user signed in, the
     * check of {@code check} with {@code AUTH XOAUTH2} and the token, in the same effect, so the token
     * never leaves the effect handler. Answered with {@link Input.SignInCode}, then {@link Input.SignedIn}
     * followed by the check's progress and result, or {@link Input.SignInFailed} / {@link Input.SignInCancelled}
     * (or {@link Input.CheckLimited} when the user's check quota is used up).
     *
     * @param loginHint the mailbox the user is expected to sign in with, or ""
     * @param check     the check to run after the sign-in, without a login: its user name becomes the account
     *                  that signed in (else {@code loginHint})
     */
    record SignIn(int runId, String loginHint, CheckRequest check) implements Effect {
    }

    /** Stop the sign-in of run {@code runId} if it still waits for the user (the user said cancel). */
    record StopSignIn(int runId) implements Effect {
    }

    /** Look up the MX hosts of a domain (to recognise the provider of a custom domain). */
    record LookupMx(String domain) implements Effect {
    }

    /**
     * Open a support request through the {@link io.smtpassistant.core.support.SupportWorkflow}
     * (stored with its OPENED event; the outbox relay tells the support channels); answer with
     * {@link Input.RequestOpened} only after the commit.
     */
    record OpenRequest(SupportRequestDraft draft) implements Effect {
    }

    /**
     * The requester's message to their request ({@code SupportWorkflow.requesterMessage}); answered
     * with {@link Input.FollowUp}.
     */
    record RelayToSupport(String requestId, String author, String text) implements Effect {
    }

    /** Store how the conversation ended ({@code OutcomeStore.record}): names and counts, no text. */
    record RecordOutcome(io.smtpassistant.core.support.ConversationOutcome outcome) implements Effect {
    }

    /** Record the requester's re-check on their request ({@code SupportWorkflow.recordRecheck}). */
    record RecordRecheck(String requestId, io.smtpassistant.core.check.CheckReport report) implements Effect {
    }
}
