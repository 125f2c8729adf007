package io.smtpassistant.core.engine;

import java.util.List;

/**
 * Where a conversation's replies go (the adapter renders and sends them). Called in order per
 * conversation, never during a turn and never concurrently for one conversation.
 */
@FunctionalInterface
public interface ReplySink {

    void deliver(ConversationKey key, List<Reply> replies);
}
