package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITenantProfile;
import com.microsoft.bot.connector.authentication.AuthenticationException;
import com.microsoft.bot.connector.authentication.Authenticator;
import com.microsoft.bot.connector.authentication.MicrosoftAppCredentials;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bot's outbound credentials, requested from the app's own tenant.
 *
 * <p>Why not the SDK's: Bot Framework SDK for Java 4.14.3 always asks the {@code botframework.com}
 * tenant, so a SingleTenant app (all new Azure registrations) gets {@code AADSTS700016}
 * (microsoft/botbuilder-java#1323). Here the token is a plain OAuth 2.0 client-credentials request to
 * {@code {loginEndpoint}/{tenant}/oauth2/v2.0/token}; MultiTenant apps use the tenant
 * {@code botframework.com}, as the SDK does. The token is cached until five minutes before it expires.
 * The request body holds the client secret: it is never logged.
 */
final class TenantAppCredentials extends MicrosoftAppCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String password;
    private final String tenant;
    private final String scope;
    private final String loginEndpoint;
    private final Clock clock;

    TenantAppCredentials(String appId, String password, String tenant, String scope, String loginEndpoint, Clock clock) {
        super(appId, password, tenant, scope);
        this.password = password;
        this.tenant = tenant;
        this.scope = scope;
        this.loginEndpoint = loginEndpoint;
        this.clock = clock;
    }

    @Override
    public String oAuthEndpoint() {
        return loginEndpoint + "/" + tenant;
    }

    /** The token endpoint of the tenant. */
    String tokenUrl() {
        return oAuthEndpoint() + "/oauth2/v2.0/token";
    }

    @Override
    protected Authenticator buildAuthenticator() {
        return new ClientCredentials();
    }

    /**
     * Client-credentials grant with a cached token. Thread-safe: one caller at a time fetches a token while
     * the others wait for it (no stampede on the tenant authority). The lock is a {@link ReentrantLock}, not
     * {@code synchronized}: on JDK 21 a virtual thread blocked in a monitor pins its carrier, and the fetch
     * is network I/O.
     */
    private final class ClientCredentials implements Authenticator {
        private final ReentrantLock lock = new ReentrantLock();
        private Token cached; // guarded by lock

        @Override
        public CompletableFuture<IAuthenticationResult> acquireToken() {
            lock.lock();
            try {
                return fetchUnlessCached();
            } finally {
                lock.unlock();
            }
        }

        private CompletableFuture<IAuthenticationResult> fetchUnlessCached() {
            Instant now = clock.instant();
            if (cached != null && now.isBefore(cached.expires().minus(Duration.ofMinutes(5)))) {
                return CompletableFuture.completedFuture(cached);
            }
            return switch (fetch()) {
                case Fetched.Issued issued -> {
                    cached = new Token(issued.token(), now.plusSeconds(issued.seconds()), scope);
                    yield CompletableFuture.completedFuture(cached);
                }
                case Fetched.Refused refused -> CompletableFuture.failedFuture(new AuthenticationException("token request to "
                        + tokenUrl() + " answered " + refused.status() + ": " + refused.error() + " (check " + TeamsSettings.APP_ID
                        + ", " + TeamsSettings.APP_PASSWORD + " and " + TeamsSettings.APP_TENANT + ")"));
                case Fetched.Failed failed -> CompletableFuture.failedFuture(new AuthenticationException("token request to "
                        + tokenUrl() + " failed: " + failed.reason()));
            };
        }
    }

    /** What one token request came to. */
    sealed interface Fetched {
        /** A token, valid for {@code seconds}. */
        record Issued(String token, long seconds) implements Fetched {
        }

        /** The tenant's authority said no ({@code error}: its code and first line of description). */
        record Refused(int status, String error) implements Fetched {
        }

        /** No usable answer: no connection, no answer in time, no token in it. */
        record Failed(String reason) implements Fetched {
        }
    }

    /** One client-credentials request, uncached. The request body holds the client secret: it is never logged. */
    Fetched fetch() {
        try {
            String form = "grant_type=client_credentials&client_id=" + enc(getAppId()) + "&client_secret=" + enc(password)
                    + "&scope=" + enc(scope);
            HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl())).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Fetched.Refused(response.statusCode(), errorOf(response.body()));
            }
            JsonNode body = JSON.readTree(response.body());
            String token = body.path("access_token").asText("");
            if (token.isEmpty()) {
                return new Fetched.Failed("the answer has no access_token");
            }
            return new Fetched.Issued(token, body.path("expires_in").asLong(3600));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetched.Failed("interrupted");
        } catch (java.net.ConnectException e) {
            return new Fetched.Failed("no connection");
        } catch (java.net.http.HttpTimeoutException e) {
            return new Fetched.Failed("no answer in time");
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new Fetched.Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            String code = n.path("error").asText("");
            String text = n.path("error_description").asText("");
            String line = (code + " " + text).strip();
            return line.isEmpty() ? "no error description" : line.lines().findFirst().orElse(line);
        } catch (java.io.IOException | RuntimeException e) {
            return "no error description";
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    /** The token as the SDK's credentials interceptor wants it. */
    private record Token(String accessToken, Instant expires, String scope) implements IAuthenticationResult {
        @Override
        public String idToken() {
            return null;
        }

        @Override
        public IAccount account() {
            return null;
        }

        @Override
        public ITenantProfile tenantProfile() {
            return null;
        }

        @Override
        public String environment() {
            return "";
        }

        @Override
        public String scopes() {
            return scope;
        }

        @Override
        public Date expiresOnDate() {
            return Date.from(expires);
        }

        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }
}
