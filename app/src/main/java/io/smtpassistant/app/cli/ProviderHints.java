package io.smtpassistant.app.cli;

import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.ProviderPreset;

/** Which provider's advice fits a check: by the SMTP host first (smtp.office365.com), else by the address's domain. */
final class ProviderHints {

    private ProviderHints() {
    }

    static String find(Knowledge knowledge, String host, String address) {
        return knowledge.providers().bySmtpHost(host)
                .or(() -> address == null || !address.contains("@") ? java.util.Optional.empty()
                        : knowledge.providers().byAddress(address))
                .map(ProviderPreset::id)
                .orElse("");
    }
}
