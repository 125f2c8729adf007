package io.smtpassistant.core.check;

/**
 * Runs live SMTP checks. A check is blocking I/O: call it on a virtual thread, never while holding a
 * conversation lock. It never throws for anything the server does; every server behaviour is a
 * {@link CheckReport}. It returns within the request's deadline (plus a small constant for
 * bookkeeping) and clears the request's password when done.
 */
public interface SmtpChecker {

    CheckReport check(CheckRequest request, CheckListener listener);

    default CheckReport check(CheckRequest request) {
        return check(request, CheckListener.none());
    }
}
