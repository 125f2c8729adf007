package io.smtpassistant.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line flags of a harness, each an integer; unknown flags are usage errors. */
final class Flags {

    /** A bad command line; the message names the flag and the expected form. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, Integer> values = new HashMap<>();

    private Flags() {
    }

    static Flags parse(String[] args, Set<String> known) throws UsageException {
        Flags flags = new Flags();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!known.contains(name)) {
                throw new UsageException("unknown flag " + name + "; known flags: " + String.join(" ", known.stream().sorted().toList()));
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value, e.g. " + name + " 10");
            }
            String raw = args[++i];
            try {
                int value = Integer.parseInt(raw);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                flags.values.put(name, value);
            } catch (NumberFormatException e) {
                throw new UsageException(name + " was " + raw + "; expected a whole number >= 0, e.g. " + name + " 10");
            }
        }
        return flags;
    }

    int get(String name, int defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }
}
