package io.smtpassistant.core.oauth;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the identity platform's error responses to {@link SignInFailure}s. The OAuth {@code error} is coarse
 * ({@code invalid_grant} covers consent, tenant and policy refusals alike), so the AADSTS number in
 * {@code error_codes} (or, failing that, at the start of {@code error_description}) decides; the numbers
 * are from Microsoft's list, https://learn.microsoft.com/entra/identity-platform/reference-error-codes.
 */
final class IdentityErrors {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d{4,9})");

    /** AADSTS number to failure. Numbers not listed here are {@link SignInFailure#OTHER}, the code kept for support. */
    private static final Map<Long, SignInFailure> BY_CODE = Map.ofEntries(
            // the app is not consented (for this user, or admin consent is required), or SMTP.Send is not among
            // the app registration's permissions
            Map.entry(65001L, SignInFailure.CONSENT_REQUIRED),
            Map.entry(90094L, SignInFailure.CONSENT_REQUIRED),
            Map.entry(90095L, SignInFailure.CONSENT_REQUIRED),
            Map.entry(650057L, SignInFailure.CONSENT_REQUIRED),
            // the user declined the consent prompt
            Map.entry(65004L, SignInFailure.DECLINED),
            // "Allow public client flows" is off: the token request must carry a client secret
            Map.entry(7000218L, SignInFailure.PUBLIC_CLIENT_DISABLED),
            // user from another tenant, or a personal account at /organizations
            Map.entry(50020L, SignInFailure.WRONG_TENANT),
            Map.entry(90072L, SignInFailure.WRONG_TENANT),
            Map.entry(500200L, SignInFailure.WRONG_TENANT),
            Map.entry(50034L, SignInFailure.WRONG_TENANT),
            // conditional access: blocked, device not compliant or not managed, MFA required or not registered
            Map.entry(53000L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(53001L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(53002L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(53003L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(53004L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(50076L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(50079L, SignInFailure.CONDITIONAL_ACCESS),
            Map.entry(50158L, SignInFailure.CONDITIONAL_ACCESS),
            // the client id is unknown in the directory
            Map.entry(700016L, SignInFailure.UNKNOWN_APP),
            // the code expired (the AADSTS form of expired_token)
            Map.entry(70019L, SignInFailure.EXPIRED));

    /** The protocol-level errors of RFC 8628 section 3.5 and Microsoft's device code flow. */
    private static final Map<String, SignInFailure> BY_ERROR = Map.of(
            "authorization_declined", SignInFailure.DECLINED,
            "access_denied", SignInFailure.DECLINED,
            "expired_token", SignInFailure.EXPIRED,
            "bad_verification_code", SignInFailure.OTHER);

    private IdentityErrors() {
    }

    /**
     * The failure for an error response.
     *
     * @param error       the OAuth {@code error}, e.g. {@code invalid_grant}
     * @param aadsts      the first of {@code error_codes}, or -1
     * @param description {@code error_description}, or ""
     */
    static SignInResult.Failed failed(String error, long aadsts, String description, String supportIds) {
        long code = aadsts > 0 ? aadsts : codeIn(description);
        SignInFailure failure = BY_ERROR.get(error);
        if (failure == null || failure == SignInFailure.OTHER) {
            SignInFailure byCode = code > 0 ? BY_CODE.get(code) : null;
            failure = byCode != null ? byCode : failure == null ? SignInFailure.OTHER : failure;
        }
        String errorCode = BY_ERROR.containsKey(error) || code <= 0 ? error : "AADSTS" + code;
        return new SignInResult.Failed(failure, errorCode, detail(error, description, supportIds));
    }

    /** The AADSTS number at the start of a description ("AADSTS65001: The user or administrator ..."), or -1. */
    static long codeIn(String description) {
        Matcher m = AADSTS.matcher(description);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * One line for support: the description's first line (Microsoft puts trace id, correlation id and timestamp
     * on the following lines; {@code supportIds} carries the first two), shortened.
     */
    private static String detail(String error, String description, String supportIds) {
        String first = description.lines().findFirst().orElse("").strip();
        String line = first.isEmpty() ? error : first;
        if (line.length() > 300) {
            line = line.substring(0, 299) + "…";
        }
        return supportIds.isEmpty() ? line : line + " (" + supportIds + ")";
    }
}
