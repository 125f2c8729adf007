package io.smtpassistant.teams;

import com.microsoft.bot.connector.authentication.AppCredentials;
import com.microsoft.bot.integration.BotFrameworkHttpAdapter;
import com.microsoft.bot.integration.Configuration;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The SDK's HTTP adapter with our outbound credentials: tokens come from the app's tenant for a
 * SingleTenant app ({@link TenantAppCredentials}). Inbound token validation is the SDK's, unchanged:
 * issuer, audience (our app id), signing key and its endorsement for the channel, and the
 * {@code serviceurl} claim against the activity.
 */
final class TeamsHttpAdapter extends BotFrameworkHttpAdapter {

    private final TeamsSettings settings;
    private final Clock clock;

    TeamsHttpAdapter(TeamsSettings settings, Clock clock) {
        super(configuration(settings));
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected CompletableFuture<AppCredentials> buildAppCredentials(String appId, String scope) {
        String s = scope == null || scope.isBlank() ? "https://api.botframework.com" : scope;
        String withDefault = s.endsWith("/.default") ? s : s + "/.default";
        return CompletableFuture.completedFuture(new TenantAppCredentials(appId, settings.appPassword(), settings.tokenTenant(),
                withDefault, settings.loginEndpoint(), clock));
    }

    /** The SDK's configuration keys. Note: {@code BotOpenIdMetadata} sets a JVM-wide value in the SDK. */
    private static Configuration configuration(TeamsSettings settings) {
        Properties p = new Properties();
        p.setProperty("MicrosoftAppId", settings.appId());
        p.setProperty("MicrosoftAppPassword", settings.appPassword());
        if (!settings.openIdMetadata().isEmpty()) {
            p.setProperty(TeamsSettings.OPENID_METADATA, settings.openIdMetadata());
        }
        return new Configuration() {
            @Override
            public String getProperty(String key) {
                return p.getProperty(key);
            }

            @Override
            public Properties getProperties() {
                return p;
            }

            @Override
            public String[] getProperties(String key) {
                String v = p.getProperty(key);
                return v == null ? null : v.split(",");
            }
        };
    }
}
