package io.smtpassistant.core.net;

import java.net.UnknownHostException;

/**
 * The resolver could not answer at all: the DNS server failed (SERVFAIL), timed out, or there is no
 * network. Unlike a plain {@link UnknownHostException} ("the name has no address") it says nothing
 * about the name the user gave: the lookup is ours to retry.
 */
public final class LookupFailedException extends UnknownHostException {

    private static final long serialVersionUID = 1L;

    public LookupFailedException(String message) {
        super(message);
    }

    public LookupFailedException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
