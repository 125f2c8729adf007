package io.smtpassistant.core.oauth;

import io.smtpassistant.core.check.Secret;
import java.util.Objects;

/** How a device-code sign-in ended. Failures are values, never exceptions. */
public sealed interface SignInResult {

    /**
     * The user signed in. {@code accessToken} is for {@code SMTP.Send}: use it for one check and clear it.
     * {@code account} is the signed-in user's name (UPN) when the platform told it, else "".
     */
    record SignedIn(Secret accessToken, String account) implements SignInResult {
        public SignedIn {
            Objects.requireNonNull(accessToken, "accessToken");
            account = account == null ? "" : account;
        }

        @Override
        public String toString() {
            return "SignedIn[account=" + account + ", accessToken=***]";
        }
    }

    /**
     * The sign-in failed. {@code errorCode} is the platform's code ({@code AADSTS65001},
     * {@code authorization_declined}) or "" ; {@code detail} one line for support, never a token.
     */
    record Failed(SignInFailure failure, String errorCode, String detail) implements SignInResult {
        public Failed {
            Objects.requireNonNull(failure, "failure");
            errorCode = errorCode == null ? "" : errorCode;
            detail = detail == null ? "" : detail;
        }
    }

    /** The user (or a shutdown) stopped the wait. */
    record Cancelled() implements SignInResult {
    }
}
