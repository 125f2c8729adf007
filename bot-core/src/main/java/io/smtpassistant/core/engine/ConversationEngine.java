package io.smtpassistant.core.engine;

/**
 * The conversation as a pure function: {@code (state, input) -> (state', replies, effects)}. No I/O,
 * no clock reads beyond the injected clock, no secret kept: the same state and input always give the
 * same transition. Thread-safe; the runtime serialises turns per conversation.
 */
public interface ConversationEngine {

    Transition handle(Conversation state, Input input);
}
