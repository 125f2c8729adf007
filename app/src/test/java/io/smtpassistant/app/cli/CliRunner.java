package io.smtpassistant.app.cli;

import java.util.Map;

/** Public entry to the in-process command-line runner for tests in other packages. */
public final class CliRunner {

    private CliRunner() {
    }

    public record Result(int exit, String out, String err, String logs) {
        public String all() {
            return out + "\n" + err + "\n" + logs;
        }
    }

    public static Result run(Map<String, String> env, String stdin, String... args) {
        CliRun r = CliRun.of(env, stdin, args);
        return new Result(r.exit(), r.out(), r.err(), r.logs());
    }
}
