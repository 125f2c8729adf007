package io.smtpassistant.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code SMTP_ASSISTANT_SERVICE_OAUTH}, {@code SMTP_ASSISTANT_EHLO_NAME} and the check resolver: strict, with clear errors. */
class FindingsConfigTest {

    private static AppConfig config(String key, String value) {
        return AppConfig.load(Map.of(key, value));
    }

    @Test
    void serviceOAuthIsParsedAndDefaultsToNone() {
        assertEquals(Set.of(), AppConfig.load(Map.of()).serviceOAuth());
        assertEquals(Set.of(), config(AppConfig.SERVICE_OAUTH, "none").serviceOAuth());
        assertEquals(Set.of("microsoft", "google"), config(AppConfig.SERVICE_OAUTH, "Microsoft, google").serviceOAuth());
        assertEquals(Set.of("microsoft", "google"), AppConfig.load(Map.of()).engineConfig(true)
                .withServiceOAuth(config(AppConfig.SERVICE_OAUTH, "microsoft,google").serviceOAuth()).serviceOAuth());
    }

    @Test
    void unknownSignInIsRefusedWithTheRightForm() {
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> config(AppConfig.SERVICE_OAUTH, "microsoft,okta").serviceOAuth());
        assertTrue(e.getMessage().contains("SMTP_ASSISTANT_SERVICE_OAUTH"), e.getMessage());
        assertTrue(e.getMessage().contains("'okta'"), e.getMessage());
        assertTrue(e.getMessage().contains("microsoft,google"), e.getMessage());
    }

    @Test
    void ehloNameMustBeAQualifiedHostName() {
        assertEquals("checker.example.com", config(AppConfig.EHLO_NAME, "Checker.Example.com").ehloName());
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> config(AppConfig.EHLO_NAME, "[127.0.0.1]").ehloName());
        assertTrue(e.getMessage().contains("SMTP_ASSISTANT_EHLO_NAME=[127.0.0.1]"), e.getMessage());
        String dflt = AppConfig.load(Map.of()).ehloName();
        assertTrue(dflt.contains(".") && !dflt.startsWith("["), dflt);
    }

    @Test
    void dnsServerMustBeADnsUrl() {
        AppConfig.ConfigException e = assertThrows(AppConfig.ConfigException.class, () -> config(AppConfig.DNS_SERVER, "10.0.0.2").checkResolver());
        assertTrue(e.getMessage().contains("dns://10.0.0.2"), e.getMessage());
        assertFalse(config(AppConfig.DNS_SERVER, "dns://127.0.0.1:5353").checkResolver() == null);
    }
}
