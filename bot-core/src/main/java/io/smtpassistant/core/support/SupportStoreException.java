package io.smtpassistant.core.support;

/**
 * The support request store cannot do its job: the database is unreachable, refused a statement,
 * or is configured wrongly. Unchecked: callers cannot fix it on the spot; the message names what
 * was tried (never a password) and what to do. Expected outcomes (an unknown id, a refused status
 * change) are never reported this way; see {@link Transition}.
 */
public final class SupportStoreException extends RuntimeException {

    public SupportStoreException(String message) {
        super(message);
    }

    public SupportStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
