package io.smtpassistant.core.support;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to a support request, as the outbox holds it and as every channel receives it. Written
 * in the same transaction as the change itself, so a committed change always has its event and an
 * event never describes a change that was rolled back.
 *
 * <p>Immutable and secret-free: the text was masked ({@code SecretMasking}) before the event was
 * made.
 *
 * @param eventId   globally unique and stable across retries; receivers de-duplicate by it
 *                  (idempotency key, e-mail {@code Message-ID}, webhook {@code id})
 * @param requestId the request, e.g. {@code SR-7K3QD}
 * @param sequence  1, 2, 3… per request, in commit order
 * @param type      what happened
 * @param actor     who did it: the requester, an agent, or the system
 * @param text      the message, note or summary; may be empty
 * @param at        when it was committed, from the injected clock
 */
public record SupportEvent(String eventId, String requestId, long sequence, SupportEventType type, Actor actor,
                           String text, Instant at) {

    public SupportEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        text = text == null ? "" : text;
        Objects.requireNonNull(at, "at");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
    }

    /**
     * Who caused an event.
     *
     * @param platform    {@code slack}, {@code teams}, {@code terminal}, {@code cli}, {@code zendesk}, or
     *                    {@code system}
     * @param id          the platform's stable user id (or the agent's name in the CLI)
     * @param displayName how people call them; may be empty
     */
    public record Actor(String platform, String id, String displayName) {

        /** The program itself (e.g. a re-open by the reopen window). */
        public static final Actor SYSTEM = new Actor("system", "smtp-assistant", "SMTP Assistant");

        public Actor {
            Objects.requireNonNull(platform, "platform");
            Objects.requireNonNull(id, "id");
            displayName = displayName == null ? "" : displayName;
        }

        /** The display name, or the id when there is none. */
        public String name() {
            return displayName.isBlank() ? id : displayName;
        }
    }
}
