package io.smtpassistant.core.support;

import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.Secret;
import io.smtpassistant.core.check.SmtpChecker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one support workflow: every change to a support request, from every platform, goes through
 * here. Each operation
 * <ol>
 *   <li>checks who may do it: agent actions ({@link SupportAction}) by the {@link SupportPolicy} the
 *       adapters supply, the requester's own actions by the request's {@link Requester};</li>
 *   <li>masks text that looks like a password ({@link io.smtpassistant.core.input.SecretMasking});</li>
 *   <li>commits the request's new state <em>and</em> its {@link SupportEvent} in one transaction (the
 *       outbox), so the relay ({@link OutboxRelay}) delivers it to every {@link SupportChannel} at
 *       least once, also after a crash;</li>
 *   <li>returns a {@link WorkflowOutcome}: a refusal is a value, never an exception.</li>
 * </ol>
 * Nothing here talks to a chat platform: adapters map their clicks and commands to these calls and
 * render the outcome; the channels render the events.
 *
 * <p><b>Threads.</b> Thread-safe; every method blocks on the database (and {@link #rerun} on a live
 * check): call it on a worker or virtual thread, never inside a conversation's turn. Concurrent
 * changes to one request are serialised by the store (row lock), across processes too: of twenty
 * concurrent claims of an open request exactly one is {@link WorkflowOutcome.Done}, the others are
 * {@link WorkflowOutcome.AlreadyClaimed} naming the winner.
 *
 * <p><b>Actors.</b> An agent is an {@link SupportEvent.Actor}; the request's assignee is stored as
 * {@link SupportEvent.Actor#name()}. The requester is recognised by platform and user id.
 */
public interface SupportWorkflow {

    /** Stores a new request (note masked) with its {@link SupportEventType#OPENED} event. Always {@code Done}. */
    WorkflowOutcome open(NewSupportRequest request);

    /**
     * Claims an open request (compare-and-set). A request claimed by someone else is
     * {@link WorkflowOutcome.AlreadyClaimed} unless {@code takeOver} is set (then the policy is asked
     * for {@link SupportAction#TAKE_OVER}); claiming one's own claimed request changes nothing
     * ({@code Done} without an event); a resolved one is {@code WrongStatus}.
     */
    WorkflowOutcome claim(String requestId, SupportEvent.Actor agent, boolean takeOver);

    /** Gives a claimed request back ({@code CLAIMED → OPEN}); only a claimed request can be released. */
    WorkflowOutcome release(String requestId, SupportEvent.Actor agent);

    /** Closes an open or claimed request; {@code note} may be empty and is masked. */
    WorkflowOutcome resolve(String requestId, SupportEvent.Actor agent, String note);

    /**
     * Opens a resolved request again ({@code RESOLVED → OPEN}); by an agent the policy allows, or by
     * the requester.
     */
    WorkflowOutcome reopen(String requestId, SupportEvent.Actor actor);

    /**
     * Runs the request's check again with its stored settings (user name, sender, port, security)
     * through the checker given to the builder (the chat's network guard), and records the result
     * as {@link SupportEventType#RERUN_DONE}. No password is stored, so {@code password} is normally
     * {@code null} and the result says the login was not tested; a given password is used for this
     * one check and cleared.
     */
    WorkflowOutcome rerun(String requestId, SupportEvent.Actor agent, Secret password);

    /**
     * Records the result of a check the requester ran again in their chat (the answer to
     * {@link #askRecheck}) as {@link SupportEventType#RERUN_DONE}; only the requester may.
     */
    WorkflowOutcome recordRecheck(String requestId, SupportEvent.Actor requester, CheckReport report);

    /** An agent writes to the requester (text masked); the request's status does not change. */
    WorkflowOutcome agentMessage(String requestId, SupportEvent.Actor agent, String text);

    /**
     * The requester writes to support (text masked). A resolved request is reopened first (one
     * transaction, two events) when it was resolved within the reopen window; later it is
     * {@code WrongStatus}.
     */
    WorkflowOutcome requesterMessage(String requestId, SupportEvent.Actor requester, String text);

    /** An agent asks the requester to run the check again with their password ({@link SupportEventType#RECHECK_ASKED}). */
    WorkflowOutcome askRecheck(String requestId, SupportEvent.Actor agent);

    /** The request, as stored now. */
    Optional<SupportRequest> find(String requestId);

    /**
     * The request a requester's new message belongs to: their newest request that is open or
     * claimed, or resolved within the reopen window; empty when there is none.
     */
    Optional<SupportRequest> followUpTarget(String platform, String userId);

    /** The outbox of this workflow's store: pending and parked deliveries. */
    SupportOutbox outbox();

    /** A builder for the one implementation, on {@code store}. */
    static Builder builder(SupportRequestStore store) {
        return new Builder(store);
    }

    /** Builds the workflow; only the store is required. */
    final class Builder {
        final SupportRequestStore store;
        SupportPolicy policy = SupportPolicy.anyone();
        Clock clock = Clock.systemUTC();
        Duration reopenWindow = Duration.ofDays(7);
        SmtpChecker checker;
        Duration checkDeadline = Duration.ofSeconds(30);

        Builder(SupportRequestStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Who may act (default: anyone, as in the CLI). */
        public Builder policy(SupportPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The clock for event times and the reopen window (default: UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long after a resolve a requester's message reopens the request (default 7 days). */
        public Builder reopenWindow(Duration window) {
            if (window.isNegative()) {
                throw new IllegalArgumentException("reopen window " + window + " is negative; use e.g. 7d, or 0 to never reopen");
            }
            this.reopenWindow = window;
            return this;
        }

        /**
         * The checker for {@link #rerun}, guarded like the chat's own checks (the settings came from a
         * customer), and the deadline of one re-run. Without it, {@code rerun} is {@code Invalid}.
         */
        public Builder checker(SmtpChecker checker, Duration deadline) {
            this.checker = Objects.requireNonNull(checker, "checker");
            this.checkDeadline = Objects.requireNonNull(deadline, "deadline");
            return this;
        }

        public SupportWorkflow build() {
            return new RealSupportWorkflow(this);
        }
    }
}
