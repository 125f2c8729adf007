package io.smtpassistant.core.oauth;

import java.time.Instant;
import java.util.Objects;

/**
 * What the user needs to sign in elsewhere: the page to open and the code to type there, valid until
 * {@code expiresAt}. Not a secret (it is useless without the user's own sign-in), but never logged
 * with the user's name either.
 */
public record DeviceCode(String verificationUri, String userCode, Instant expiresAt) {

    public DeviceCode {
        Objects.requireNonNull(verificationUri, "verificationUri");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
