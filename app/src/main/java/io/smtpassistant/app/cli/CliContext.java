package io.smtpassistant.app.cli;

import java.io.InputStream;
import java.util.Map;

/**
 * The outside world of one command-line run: environment variables and standard input. Injected so
 * tests run the real commands in-process without touching the JVM's globals.
 *
 * @param interactive whether a person sits at a terminal (then a password may be asked for, masked)
 */
public record CliContext(Map<String, String> env, InputStream stdin, boolean interactive) {

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.console() != null);
    }
}
