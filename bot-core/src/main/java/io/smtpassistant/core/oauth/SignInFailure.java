package io.smtpassistant.core.oauth;

/** Why a device-code sign-in ended without a token; each has its own advice in the knowledge. */
public enum SignInFailure {
    /** The user declined the sign-in on the verification page ({@code authorization_declined}). */
    DECLINED,
    /** The code expired before the user signed in ({@code expired_token}). */
    EXPIRED,
    /** The app is not consented in the tenant (AADSTS65001 and relatives). */
    CONSENT_REQUIRED,
    /** The app registration does not allow public client flows (AADSTS7000218). */
    PUBLIC_CLIENT_DISABLED,
    /** The user belongs to another tenant than the authority allows (AADSTS50020 and relatives). */
    WRONG_TENANT,
    /** Conditional access blocked the sign-in (AADSTS53003 and relatives). */
    CONDITIONAL_ACCESS,
    /** The client id is unknown to the identity platform (AADSTS700016). */
    UNKNOWN_APP,
    /** The identity platform could not be reached or answered garbage. */
    UNREACHABLE,
    /** Any other error the platform reported; the error code is kept for support. */
    OTHER
}
