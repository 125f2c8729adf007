package io.smtpassistant.core.shared;

/**
 * The shared state (Redis) could not be reached or answered with an error. Callers treat it like a
 * database outage: the turn is not taken, the user hears an apology, nothing is half-written. The
 * message names the store and the reason, never a credential.
 */
public final class SharedStateUnavailable extends RuntimeException {

    public SharedStateUnavailable(String message, Throwable cause) {
        super(message, cause);
    }

    public SharedStateUnavailable(String message) {
        super(message);
    }
}
