package io.smtpassistant.teams;

import java.time.Clock;
import java.util.Optional;

/**
 * Asks the app's tenant once, before the bot starts, for a Bot Connector token with the configured app id and
 * password: a wrong secret (or app id, or tenant) is found at start, as one line, instead of at the first reply a
 * user never gets. Not in local mode (no app id).
 */
public final class TeamsCredentialCheck {

    private TeamsCredentialCheck() {
    }

    /** Empty when a token was issued; else one line that names the settings and says what to do. No secret. */
    public static Optional<String> problem(TeamsSettings settings, Clock clock) {
        TenantAppCredentials credentials = new TenantAppCredentials(settings.appId(), settings.appPassword(),
                settings.tokenTenant(), "https://api.botframework.com/.default", settings.loginEndpoint(), clock);
        return switch (credentials.fetch()) {
            case TenantAppCredentials.Fetched.Issued issued -> Optional.empty();
            case TenantAppCredentials.Fetched.Refused refused -> Optional.of(TeamsSettings.APP_ID + " and "
                    + TeamsSettings.APP_PASSWORD + " were refused by " + credentials.tokenUrl() + " (" + refused.status() + ": "
                    + refused.error() + "): copy the bot's app id and a current client secret (its Value, not its ID) from the"
                    + " Azure bot's configuration" + (settings.singleTenant() ? ", and its tenant id into " + TeamsSettings.APP_TENANT
                    : "") + ", and start again.");
            case TenantAppCredentials.Fetched.Failed failed -> Optional.of("a Bot Connector token could not be requested from "
                    + credentials.tokenUrl() + " (" + failed.reason() + "): check this machine's connection to Microsoft's"
                    + " sign-in (a proxy or firewall), or " + TeamsSettings.LOGIN_ENDPOINT + ".");
        };
    }
}
