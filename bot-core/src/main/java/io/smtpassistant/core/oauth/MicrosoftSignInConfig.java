package io.smtpassistant.core.oauth;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the device-code sign-in asks for a token: the Entra app registration's client id and the
 * authority (the identity platform plus a tenant: {@code organizations}, a tenant id or a domain).
 *
 * <p>Read from {@value #CLIENT_ID_KEY} and {@value #AUTHORITY_KEY}. Without a client id there is no
 * configuration ({@link #fromEnv} is empty) and the modern sign-in is not offered: the product ships no
 * app registration of its own, because consenting a foreign multi-tenant app for {@code SMTP.Send} is
 * exactly what careful tenants refuse.
 *
 * @param clientId  the application (client) id of an app registration with public client flows enabled
 *                  and the delegated {@code SMTP.Send} permission
 * @param authority an https URL without query or fragment, e.g. {@code https://login.microsoftonline.com/organizations}
 */
public record MicrosoftSignInConfig(String clientId, URI authority) {

    public static final String CLIENT_ID_KEY = "SMTP_ASSISTANT_MS_CLIENT_ID";
    public static final String AUTHORITY_KEY = "SMTP_ASSISTANT_MS_AUTHORITY";
    /** Work and school accounts of any tenant; personal Outlook.com accounts have no SMTP.Send for apps here. */
    public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com/organizations");

    public MicrosoftSignInConfig {
        clientId = Objects.requireNonNull(clientId, "clientId").strip();
        if (clientId.isEmpty()) {
            throw new IllegalArgumentException(CLIENT_ID_KEY + " is empty; give the Application (client) ID of the "
                    + "Entra app registration, e.g. 535fb089-9ff3-47b6-9bfb-4f1264799865");
        }
        if (clientId.chars().anyMatch(c -> c <= ' ' || c == '&' || c == '=' || c > '~')) {
            throw new IllegalArgumentException(CLIENT_ID_KEY + "=" + clientId + ": a client id has no spaces or special "
                    + "characters; copy the Application (client) ID, e.g. 535fb089-9ff3-47b6-9bfb-4f1264799865");
        }
        Objects.requireNonNull(authority, "authority");
        String text = authority.toString();
        if (!"https".equalsIgnoreCase(authority.getScheme()) || authority.getHost() == null
                || authority.getRawQuery() != null || authority.getRawFragment() != null) {
            throw new IllegalArgumentException(AUTHORITY_KEY + "=" + text + ": the authority must be an https URL "
                    + "without query, e.g. " + DEFAULT_AUTHORITY + " or https://login.microsoftonline.com/contoso.onmicrosoft.com");
        }
        if (text.endsWith("/")) {
            authority = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /**
     * The configuration in {@code env}, or empty when {@value #CLIENT_ID_KEY} is unset or blank.
     *
     * @throws IllegalArgumentException when a value is malformed; the message names the key, the value and a right one
     */
    public static Optional<MicrosoftSignInConfig> fromEnv(Map<String, String> env) {
        String id = env.get(CLIENT_ID_KEY);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        String authority = env.get(AUTHORITY_KEY);
        URI uri;
        try {
            uri = authority == null || authority.isBlank() ? DEFAULT_AUTHORITY : URI.create(authority.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AUTHORITY_KEY + "=" + authority + ": not a URL; give e.g. " + DEFAULT_AUTHORITY, e);
        }
        return Optional.of(new MicrosoftSignInConfig(id, uri));
    }

    /** {@code {authority}/oauth2/v2.0/devicecode}. */
    public URI deviceCodeEndpoint() {
        return URI.create(authority + "/oauth2/v2.0/devicecode");
    }

    /** {@code {authority}/oauth2/v2.0/token}. */
    public URI tokenEndpoint() {
        return URI.create(authority + "/oauth2/v2.0/token");
    }

    /** The authority's host, lower case; for log lines. */
    String host() {
        return authority.getHost().toLowerCase(Locale.ROOT);
    }
}
