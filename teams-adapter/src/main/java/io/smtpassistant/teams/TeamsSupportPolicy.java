package io.smtpassistant.teams;

import io.smtpassistant.core.support.SupportAction;
import io.smtpassistant.core.support.SupportEvent;
import io.smtpassistant.core.support.SupportPolicy;
import io.smtpassistant.core.support.SupportRequest;
import java.util.Locale;

/**
 * Who on Teams may act on support requests: the Entra (AAD) object ids in {@code TEAMS_SUPPORT_USERS};
 * when that is empty, whoever can act in the support channel (the adapter passes only the support
 * channel's buttons and replies to the workflow, so that is the members of its team).
 */
final class TeamsSupportPolicy implements SupportPolicy {

    private final TeamsSettings settings;

    TeamsSupportPolicy(TeamsSettings settings) {
        this.settings = settings;
    }

    @Override
    public Permission check(SupportEvent.Actor actor, SupportAction action, SupportRequest request) {
        if (settings.supportUsers().isEmpty() || settings.supportUsers().contains(actor.id().toLowerCase(Locale.ROOT))) {
            return Permission.ALLOWED;
        }
        return new Permission.Denied("only the support group may claim, resolve, re-run or write to requesters;"
                + " an admin adds a person's Entra object id to " + TeamsSettings.SUPPORT_USERS);
    }
}
