package io.smtpassistant.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forms a secret can leak in: itself, and base64 at each of the three byte alignments. A secret inside any
 * base64 text (an AUTH PLAIN token, an XOAUTH2 initial response, a base64 log dump) shows one of the three
 * cores, whatever surrounds it, so a canary test that looks for these finds it in every such form.
 */
public final class Canary {

    private Canary() {
    }

    /** {@code name} → the secret, and {@code name} at byte offset n → its base64 core at that alignment. */
    public static Map<String, String> forms(String name, String secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put(name, secret);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            forms.put("base64 of the " + name + " at byte offset " + offset, base64Core(bytes, offset));
        }
        return forms;
    }

    /**
     * The characters of a base64 text that encode only {@code secret}'s bits when it starts {@code offset} bytes
     * into the encoded data.
     */
    public static String base64Core(byte[] secret, int offset) {
        byte[] data = new byte[offset + secret.length];
        System.arraycopy(secret, 0, data, offset, secret.length);
        String all = Base64.getEncoder().withoutPadding().encodeToString(data);
        int from = (offset * 8 + 5) / 6; // the first character made of secret bits only
        int to = data.length * 8 / 6;    // past the last such character
        return all.substring(from, to);
    }
}
