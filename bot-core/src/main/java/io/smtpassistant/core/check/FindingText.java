package io.smtpassistant.core.check;

import io.smtpassistant.knowledge.DiagnosisCode;
import io.smtpassistant.knowledge.Stage;
import io.smtpassistant.knowledge.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A finding in words, for every place that shows one (check text, {@code --json}, chat reports, support
 * requests): what was seen ({@code texts.yaml} key of the finding) and what to do ({@code <key>.advice}),
 * plus "use the service's own sign-in" when the recruiting service offers it
 * ({@code SMTP_ASSISTANT_SERVICE_OAUTH}). When the service does not offer it, the advice says nothing
 * about it: never "if it offers it".
 */
public final class FindingText {

    /** The value of {@code SMTP_ASSISTANT_SERVICE_OAUTH} that means "Sign in with Microsoft". */
    public static final String MICROSOFT = "microsoft";
    /** The value of {@code SMTP_ASSISTANT_SERVICE_OAUTH} that means "Sign in with Google". */
    public static final String GOOGLE = "google";

    /** The stages a check without sender, recipient or test message leaves untested. */
    public static final Set<Stage> UNTESTED_STAGES = Set.of(Stage.SENDER, Stage.RECIPIENT, Stage.MESSAGE);

    private static final Set<DiagnosisCode> MICROSOFT_LOGIN = Set.of(DiagnosisCode.AUTH_SMTP_DISABLED,
            DiagnosisCode.AUTH_METHOD_UNSUPPORTED, DiagnosisCode.AUTH_INVALID_CREDENTIALS, DiagnosisCode.AUTH_BLOCKED_BY_POLICY);
    private static final Set<DiagnosisCode> GOOGLE_LOGIN = Set.of(DiagnosisCode.AUTH_APP_PASSWORD_REQUIRED,
            DiagnosisCode.AUTH_WEB_LOGIN_REQUIRED, DiagnosisCode.AUTH_INVALID_CREDENTIALS);

    private FindingText() {
    }

    /**
     * "Use the service's own sign-in" for a login diagnosis at the provider it fits (Microsoft 365, Gmail),
     * when the recruiting service offers that sign-in; empty otherwise.
     */
    public static Optional<String> serviceSignIn(DiagnosisCode diagnosis, String providerId, Texts texts, Locale locale,
                                                 Set<String> serviceOAuth) {
        if (serviceOAuth.contains(MICROSOFT) && "microsoft365".equals(providerId) && MICROSOFT_LOGIN.contains(diagnosis)) {
            return Optional.of(texts.text("finding.oauth.microsoft", locale));
        }
        if (serviceOAuth.contains(GOOGLE) && "gmail".equals(providerId) && GOOGLE_LOGIN.contains(diagnosis)) {
            return Optional.of(texts.text("finding.oauth.google", locale));
        }
        return Optional.empty();
    }

    /** The stable id of a finding, e.g. {@code certificate-expires}: its text key without {@code finding.}. */
    public static String id(Explanation finding) {
        String key = finding.key();
        return key.startsWith("finding.") ? key.substring("finding.".length()) : key;
    }

    /** What was seen, in the locale. */
    public static String text(Explanation finding, Texts texts, Locale locale) {
        return texts.has(finding.key()) ? texts.format(finding.key(), locale, finding.args())
                : finding.key() + " " + finding.args();
    }

    /**
     * What to do, in the locale: the finding's own advice, then the service's sign-in when it offers one
     * that fits.
     *
     * @param serviceOAuth the sign-ins the recruiting service offers for e-mail ({@link #MICROSOFT}, {@link #GOOGLE})
     */
    public static List<String> advice(Explanation finding, Texts texts, Locale locale, Set<String> serviceOAuth) {
        List<String> out = new ArrayList<>();
        String key = finding.key() + ".advice";
        if (texts.has(key)) {
            out.add(texts.format(key, locale, finding.args()));
        }
        if (finding.key().startsWith("finding.m365-basic-auth") && serviceOAuth.contains(MICROSOFT)) {
            out.add(texts.text("finding.oauth.microsoft", locale));
        }
        return out;
    }
}
