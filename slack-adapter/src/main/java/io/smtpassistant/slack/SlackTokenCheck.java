package io.smtpassistant.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks Slack once, before the app starts, whether the bot token works ({@code auth.test}). Bolt asks too, but a
 * refused or unreachable Slack makes it log a stack trace and throw; this check's answer becomes one line that says
 * what to do. The token is sent only to the configured API address, in the Authorization header.
 */
public final class SlackTokenCheck {

    /** What Slack said about the token. */
    public sealed interface Result {
        /** The token works; {@code team} is the workspace's id ("" when Slack did not say). */
        record Works(String team) implements Result {
        }

        /** Slack refused it: {@code error} is Slack's code, e.g. {@code invalid_auth}. */
        record Refused(String error) implements Result {
        }

        /** Slack could not be asked: no connection, no answer in time, or an answer that is not Slack's. */
        record Unreachable(String reason) implements Result {
        }
    }

    private SlackTokenCheck() {
    }

    /** {@code auth.test} at {@code apiUrl} (ending in "/") with {@code token}, waiting up to {@code timeout}. */
    public static Result check(String apiUrl, String token, Duration timeout) {
        return check(apiUrl, "auth.test", token, timeout);
    }

    /**
     * A token's own test: {@code auth.test} for the bot token, {@code apps.connections.open} for the app-level token of
     * Socket Mode (it only issues a connection address, which expires unused).
     */
    public static Result check(String apiUrl, String method, String token, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + method)).timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return read(response.statusCode(), response.body());
        } catch (java.net.http.HttpTimeoutException e) {
            return new Result.Unreachable("no answer within " + timeout.toSeconds() + " s");
        } catch (java.net.ConnectException e) {
            return new Result.Unreachable("no connection" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            return new Result.Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new Result.Unreachable("the address is not a URL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unreachable("interrupted");
        } finally {
            client.close();
        }
    }

    /** Reads an {@code auth.test} answer (Gson, as the Slack SDK does). */
    static Result read(int status, String body) {
        com.google.gson.JsonObject json;
        try {
            json = com.google.gson.JsonParser.parseString(body == null ? "" : body).getAsJsonObject();
        } catch (RuntimeException notJson) {
            json = null;
        }
        if (json == null || !json.has("ok") || !json.get("ok").isJsonPrimitive()) {
            return new Result.Unreachable("HTTP " + status + " without Slack's answer");
        }
        if (json.get("ok").getAsBoolean()) {
            return new Result.Works(text(json, "team_id", "[A-Z0-9]{1,30}"));
        }
        String error = text(json, "error", "[A-Za-z0-9_.-]{1,60}");
        return new Result.Refused(error.isEmpty() ? "unknown_error" : error);
    }

    /** A string member when it has the expected shape (it goes into a log line), else "". */
    private static String text(com.google.gson.JsonObject json, String name, String shape) {
        com.google.gson.JsonElement e = json.get(name);
        String v = e != null && e.isJsonPrimitive() ? e.getAsString() : "";
        return v.matches(shape) ? v : "";
    }
}
