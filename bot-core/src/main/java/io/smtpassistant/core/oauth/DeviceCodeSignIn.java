package io.smtpassistant.core.oauth;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs the device authorization grant for the {@code SMTP.Send} scope. Blocking: call it from an
 * effect's virtual thread, never in a turn.
 */
public interface DeviceCodeSignIn {

    /** The delegated scope a token for SMTP AUTH XOAUTH2 at Microsoft 365 needs. */
    String SMTP_SCOPE = "https://outlook.office.com/SMTP.Send";

    /**
     * Asks the identity platform for a device code, hands it to {@code onCode} once, then polls (at the
     * interval the platform gives, slower on {@code slow_down}) until the user signed in, declined, the
     * code expired, or {@code cancelled} answers true (checked at least once a second).
     *
     * @param loginHint the mailbox address the user is expected to sign in with, or "" (informational)
     * @throws InterruptedException when the calling thread is interrupted (treat like cancelled)
     */
    SignInResult signIn(String loginHint, Consumer<DeviceCode> onCode, BooleanSupplier cancelled) throws InterruptedException;
}
