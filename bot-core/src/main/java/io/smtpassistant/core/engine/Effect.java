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

    /** Store a support request durably; answer with {@link Input.RequestOpened} only after the commit. */
    record OpenRequest(SupportRequestDraft draft) implements Effect {
    }

    /** Tell the support team about a stored request (post it to their channel). */
    record NotifySupport(String requestId) implements Effect {
    }

    /** Pass the requester's message on to the support team's thread of the request. */
    record RelayToSupport(String requestId, String author, String text) implements Effect {
    }
}
