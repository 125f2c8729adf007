package io.smtpassistant.core.support;

import java.util.Map;
import java.util.Objects;

/**
 * Who on the support side may do what, supplied per platform by the adapter that knows its people:
 * Slack (a member of the support channel or of a user group), Teams (the configured support users),
 * the {@code requests} CLI (anyone who can run it on the machine holding the database).
 *
 * <p>Called by {@link SupportWorkflow} before a change, outside any transaction; it may block for a
 * cached platform look-up but should answer quickly. Never throws for a refusal: it returns
 * {@link Permission.Denied} with a sentence that says why and who may.
 */
@FunctionalInterface
public interface SupportPolicy {

    /** Whether {@code actor} may do {@code action} on {@code request} (as stored now). */
    Permission check(SupportEvent.Actor actor, SupportAction action, SupportRequest request);

    /** The answer of a policy. */
    sealed interface Permission {
        /** Go ahead. */
        record Allowed() implements Permission {
        }

        /** Not allowed; {@code reason} is one sentence for the person who tried, e.g. who may. */
        record Denied(String reason) implements Permission {
            public Denied {
                Objects.requireNonNull(reason, "reason");
            }
        }

        Permission ALLOWED = new Allowed();
    }

    /** Everyone may do everything: the CLI, whose users already have the database. */
    static SupportPolicy anyone() {
        return (actor, action, request) -> Permission.ALLOWED;
    }

    /**
     * The policy of the actor's platform ({@link SupportEvent.Actor#platform()}); an actor of a
     * platform without one is denied.
     */
    static SupportPolicy byPlatform(Map<String, SupportPolicy> policies) {
        Map<String, SupportPolicy> copy = Map.copyOf(policies);
        return (actor, action, request) -> {
            SupportPolicy p = copy.get(actor.platform());
            return p == null
                    ? new Permission.Denied("nobody on " + actor.platform() + " may act on support requests here")
                    : p.check(actor, action, request);
        };
    }
}
