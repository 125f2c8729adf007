package io.smtpassistant.core.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MicrosoftSignInConfigTest {

    @Test
    void withoutClientIdTheSignInIsNotOffered() {
        assertEquals(Optional.empty(), MicrosoftSignInConfig.fromEnv(Map.of()));
        assertEquals(Optional.empty(), MicrosoftSignInConfig.fromEnv(Map.of("SMTP_ASSISTANT_MS_CLIENT_ID", "  ")));
    }

    @Test
    void authorityDefaultsToOrganizations() {
        MicrosoftSignInConfig c = MicrosoftSignInConfig.fromEnv(Map.of("SMTP_ASSISTANT_MS_CLIENT_ID", " abc-123 ")).orElseThrow();
        assertEquals("abc-123", c.clientId());
        assertEquals(URI.create("https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode"), c.deviceCodeEndpoint());
        assertEquals(URI.create("https://login.microsoftonline.com/organizations/oauth2/v2.0/token"), c.tokenEndpoint());
    }

    @Test
    void aTenantAuthorityWithTrailingSlashIsKept() {
        MicrosoftSignInConfig c = MicrosoftSignInConfig.fromEnv(Map.of("SMTP_ASSISTANT_MS_CLIENT_ID", "abc",
                "SMTP_ASSISTANT_MS_AUTHORITY", "https://login.microsoftonline.com/contoso.onmicrosoft.com/")).orElseThrow();
        assertEquals(URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"), c.tokenEndpoint());
    }

    @Test
    void rejectsPlainHttpAuthorityNamingKeyValueAndARightOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MicrosoftSignInConfig.fromEnv(Map.of(
                "SMTP_ASSISTANT_MS_CLIENT_ID", "abc", "SMTP_ASSISTANT_MS_AUTHORITY", "http://login.example/organizations")));
        assertTrue(e.getMessage().startsWith("SMTP_ASSISTANT_MS_AUTHORITY=http://login.example/organizations"), e.getMessage());
        assertTrue(e.getMessage().contains("https://login.microsoftonline.com/organizations"), e.getMessage());
    }

    @Test
    void rejectsAClientIdWithSpaces() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MicrosoftSignInConfig("abc def", MicrosoftSignInConfig.DEFAULT_AUTHORITY));
        assertTrue(e.getMessage().startsWith("SMTP_ASSISTANT_MS_CLIENT_ID=abc def"), e.getMessage());
    }
}
