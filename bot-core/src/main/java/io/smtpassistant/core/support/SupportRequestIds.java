package io.smtpassistant.core.support;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Support request ids: {@code SR-} and five symbols of Crockford's base32 ({@code 0-9} and the
 * letters without I, L, O and U), e.g. {@code SR-7K3QD}. Short enough to read out on the phone;
 * 32<sup>5</sup> ≈ 33.5 million ids, so the store retries on the rare collision rather than rely on
 * luck (see {@link SupportRequestStore#create}).
 *
 * <p>Parsing is forgiving the way Crockford intends: any case, with or without {@code SR-}, and
 * {@code O} read as {@code 0}, {@code I} and {@code L} as {@code 1}.
 */
public final class SupportRequestIds {

    /** The alphabet, in value order. */
    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final String PREFIX = "SR-";
    static final int LENGTH = 5;

    /** What a right id looks like, for messages to people. */
    public static final String FORMAT_HINT =
            "an id is SR- and 5 letters or digits, e.g. SR-7K3QD (run 'requests list' to see them)";

    private SupportRequestIds() {
    }

    /**
     * A new random id. {@code random} must be safe for the calling thread; the store serialises its
     * own calls.
     */
    public static String generate(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        StringBuilder b = new StringBuilder(PREFIX.length() + LENGTH).append(PREFIX);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The canonical form ({@code SR-7K3QD}) of what a person typed, or empty when it is not an id. */
    public static Optional<String> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.startsWith("SR-")) {
            t = t.substring(3);
        } else if (t.startsWith("SR") && t.length() == 2 + LENGTH) {
            t = t.substring(2);
        }
        if (t.length() != LENGTH) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < t.length(); i++) {
            char c = switch (t.charAt(i)) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> t.charAt(i);
            };
            if (ALPHABET.indexOf(c) < 0) {
                return Optional.empty();
            }
            b.append(c);
        }
        return Optional.of(b.toString());
    }
}
