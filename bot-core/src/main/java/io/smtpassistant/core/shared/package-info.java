/**
 * What instances of the bot share so that several of them behave as one: conversation state, the
 * per-conversation turn lock, de-duplication of platform deliveries, the per-user check window and the
 * effects in flight. Each is an interface; {@link io.smtpassistant.core.shared.SharedState} bundles
 * them. The app chooses the implementation by configuration: in process (one instance, state in the
 * embedded database) or Redis ({@code REDIS_URL}). The engine and the adapters do not know which.
 */
package io.smtpassistant.core.shared;
