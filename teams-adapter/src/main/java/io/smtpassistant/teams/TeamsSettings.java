package io.smtpassistant.teams;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Teams side of the configuration. Keys are those of the Azure bot registration
 * ({@code MicrosoftAppId}, {@code MicrosoftAppPassword}, {@code MicrosoftAppType},
 * {@code MicrosoftAppTenantId}) plus ours for the support channel.
 *
 * <p>With no app id the bot runs in local mode (Bot Framework Emulator): no inbound token is
 * checked and no outbound token is sent, so the endpoint must only be reachable from this machine.
 *
 * @param appId           the bot's Entra app id, or "" for local mode
 * @param appPassword     the app's client secret ("" in local mode)
 * @param singleTenant    whether outbound tokens come from the app's own tenant (SingleTenant) rather
 *                        than {@code botframework.com} (MultiTenant)
 * @param tenantId        the app's tenant (required for SingleTenant)
 * @param loginEndpoint   where tokens are requested, default {@code https://login.microsoftonline.com}
 * @param openIdMetadata  where inbound token keys are published, or "" for the Bot Framework default
 * @param supportChannel  the support team's channel conversation id, or "" for none
 * @param supportUsers    AAD object ids allowed to claim, resolve and re-run; empty: anyone who can act
 *                        in the support channel (that is, the members of its team)
 * @param serviceUrl      the Bot Connector service to post to the support channel before any activity
 *                        told us one, default {@code https://smba.trafficmanager.net/teams/}
 */
public record TeamsSettings(String appId, String appPassword, boolean singleTenant, String tenantId, String loginEndpoint,
                            String openIdMetadata, String supportChannel, Set<String> supportUsers, String serviceUrl) {

    public static final String APP_ID = "MicrosoftAppId";
    public static final String APP_PASSWORD = "MicrosoftAppPassword";
    public static final String APP_TYPE = "MicrosoftAppType";
    public static final String APP_TENANT = "MicrosoftAppTenantId";
    /** Not a Microsoft key: the token endpoint's base, for sovereign clouds and tests. */
    public static final String LOGIN_ENDPOINT = "TEAMS_LOGIN_ENDPOINT";
    /** The key the SDK itself reads for the inbound OpenID metadata. */
    public static final String OPENID_METADATA = "BotOpenIdMetadata";
    public static final String SUPPORT_CHANNEL = "TEAMS_SUPPORT_CHANNEL";
    public static final String SUPPORT_USERS = "TEAMS_SUPPORT_USERS";
    public static final String SERVICE_URL = "TEAMS_SERVICE_URL";

    public TeamsSettings {
        appId = blankToEmpty(appId);
        appPassword = blankToEmpty(appPassword);
        tenantId = blankToEmpty(tenantId);
        loginEndpoint = blankToEmpty(loginEndpoint).isEmpty() ? "https://login.microsoftonline.com" : stripSlash(loginEndpoint.strip());
        openIdMetadata = blankToEmpty(openIdMetadata);
        supportChannel = blankToEmpty(supportChannel);
        supportUsers = supportUsers == null ? Set.of() : Set.copyOf(supportUsers);
        serviceUrl = blankToEmpty(serviceUrl).isEmpty() ? "https://smba.trafficmanager.net/teams/" : serviceUrl.strip();
        if (!appId.isEmpty() && appPassword.isEmpty()) {
            throw new IllegalArgumentException(APP_PASSWORD + " is empty while " + APP_ID + " is set; give the client secret of app "
                    + appId + " (Azure portal: the bot's app registration, Certificates & secrets)");
        }
        if (singleTenant && tenantId.isEmpty()) {
            throw new IllegalArgumentException(APP_TYPE + "=SingleTenant needs " + APP_TENANT
                    + ": give the directory (tenant) id of the app registration, e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47");
        }
    }

    /** Reads the settings; {@code get} returns null for an absent key. Bad values throw with the key and the fix. */
    public static TeamsSettings from(Function<String, String> get) {
        String type = blankToEmpty(get.apply(APP_TYPE));
        boolean single = switch (type.toLowerCase(Locale.ROOT)) {
            case "", "multitenant" -> false;
            case "singletenant" -> true;
            default -> throw new IllegalArgumentException(APP_TYPE + "=" + type + ": write SingleTenant or MultiTenant"
                    + " (UserAssignedMSI is not supported by the Java SDK)");
        };
        String users = blankToEmpty(get.apply(SUPPORT_USERS));
        Set<String> ids = Arrays.stream(users.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return new TeamsSettings(get.apply(APP_ID), get.apply(APP_PASSWORD), single, get.apply(APP_TENANT),
                get.apply(LOGIN_ENDPOINT), get.apply(OPENID_METADATA), get.apply(SUPPORT_CHANNEL), ids, get.apply(SERVICE_URL));
    }

    /** No app id: the Emulator's local mode without authentication. */
    public boolean localMode() {
        return appId.isEmpty();
    }

    /** The tenant outbound tokens are requested from. */
    public String tokenTenant() {
        return singleTenant ? tenantId : "botframework.com";
    }

    @Override
    public String toString() {
        return "TeamsSettings[appId=" + appId + ", appPassword=" + (appPassword.isEmpty() ? "none" : "<redacted>")
                + ", singleTenant=" + singleTenant + ", tenantId=" + tenantId + ", supportChannel=" + supportChannel + "]";
    }

    private static String blankToEmpty(String s) {
        return s == null || s.isBlank() ? "" : s.strip();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
