package io.smtpassistant.teams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether an {@code Authorization} header can be a Bot Framework token at all: {@code Bearer}, then
 * three base64url segments whose first two are JSON objects. The SDK throws on anything else
 * (a {@code JWTDecodeException} outside its {@code AuthenticationException}), so such a header is
 * refused here, before it. Pure.
 */
final class BearerShape {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

    private BearerShape() {
    }

    /** Why {@code authorization} is no token (empty when it may be one; the SDK then validates it). */
    static Optional<String> problem(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty(); // the SDK answers "no token" itself
        }
        String[] scheme = authorization.strip().split("\\s+", 2);
        if (!scheme[0].equalsIgnoreCase("Bearer")) {
            return Optional.of("not a bearer token");
        }
        if (scheme.length < 2) {
            return Optional.of("an empty bearer token");
        }
        String[] parts = scheme[1].split("\\.", -1);
        if (parts.length != 3) {
            return Optional.of("a token of " + parts.length + " segments, not 3");
        }
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches()) {
                return Optional.of("a token segment that is not base64url");
            }
        }
        for (int i = 0; i < 2; i++) {
            try {
                JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(parts[i]));
                if (n == null || !n.isObject()) {
                    return Optional.of("a token " + (i == 0 ? "header" : "payload") + " that is no JSON object");
                }
            } catch (IOException | IllegalArgumentException e) {
                return Optional.of("a token " + (i == 0 ? "header" : "payload") + " that is no JSON object");
            }
        }
        return Optional.empty();
    }
}
