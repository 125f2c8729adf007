package io.smtpassistant.core.engine;

import java.util.function.Consumer;

/**
 * Carries out effects for the runtime. Called on a virtual thread of its own, outside any
 * conversation's turn; blocking is fine. Results go back through {@code feedback}, which queues them
 * as inputs of the same conversation (in order). Must not throw for expected failures: report them
 * as inputs (e.g. {@link Input.RequestFailed}).
 */
@FunctionalInterface
public interface EffectHandler {

    void handle(ConversationKey key, Effect effect, Consumer<Input> feedback);
}
