package io.smtpassistant.knowledge;

import java.util.List;

/**
 * What a diagnosis means and what to do, in one language, for one provider when a provider variant
 * exists. {@code adminSteps} are for the HR admin who owns the mailbox; {@code itSteps} for the
 * tenant or domain administrator.
 *
 * @param providerId the provider whose variant was used, or "" for the general advice
 */
public record Advice(DiagnosisCode code, String title, String explanation, List<String> adminSteps,
                     List<String> itSteps, List<String> links, String providerId) {
    public Advice {
        adminSteps = List.copyOf(adminSteps);
        itSteps = List.copyOf(itSteps);
        links = List.copyOf(links);
    }
}
