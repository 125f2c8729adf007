package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import io.smtpassistant.knowledge.Security;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A turn standing at one step, for the focused tests of one step handler (real knowledge, default config). */
final class StepFixture {

    static final Steps STEPS = new Steps(EngineScript.KNOWLEDGE, EngineConfig.defaults());
    static final CheckSettings GMX = new CheckSettings("mail.gmx.net", 587, Security.STARTTLS, "anna@gmx.de", "anna@gmx.de", "", false);

    private StepFixture() {
    }

    static Turn at(Awaiting awaiting) {
        return at(awaiting, e -> {
        });
    }

    static Turn at(Awaiting awaiting, Consumer<Conversation.Editor> setup) {
        Conversation.Editor e = Conversation.start(EngineScript.KEY, Locale.ENGLISH, "Anna", EngineScript.CLOCK.instant()).edit();
        e.awaiting = awaiting;
        setup.accept(e);
        return new Turn(e.done());
    }

    /** Every text, question text and form title the turn said, one per line. */
    static String said(Turn t) {
        return t.replies.stream().map(r -> switch (r) {
            case Reply.Text x -> x.text();
            case Reply.Question q -> q.text();
            case Reply.Form f -> f.title();
            default -> r.getClass().getSimpleName();
        }).collect(Collectors.joining("\n"));
    }

    static <R extends Reply> R last(Turn t, Class<R> type) {
        for (int i = t.replies.size() - 1; i >= 0; i--) {
            if (type.isInstance(t.replies.get(i))) {
                return type.cast(t.replies.get(i));
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t.replies);
    }
}
