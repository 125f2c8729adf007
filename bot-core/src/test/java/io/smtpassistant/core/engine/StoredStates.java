package io.smtpassistant.core.engine;

import java.time.Instant;
import java.util.Locale;

/** Conversations in a given step, for store tests outside this package (the editor is package-private). */
public final class StoredStates {

    private StoredStates() {
    }

    /** A new conversation of {@code key} at {@code now}, moved to {@code awaiting}. */
    public static Conversation at(ConversationKey key, Awaiting awaiting, Instant now) {
        Conversation.Editor e = Conversation.start(key, Locale.ENGLISH, "", now).edit();
        e.awaiting = awaiting;
        return e.done();
    }
}
