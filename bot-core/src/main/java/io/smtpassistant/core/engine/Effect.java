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

    /** Record the requester's re-check on their request ({@code SupportWorkflow.recordRecheck}). */
    record RecordRecheck(String requestId, io.smtpassistant.core.check.CheckReport report) implements Effect {
    }
}
