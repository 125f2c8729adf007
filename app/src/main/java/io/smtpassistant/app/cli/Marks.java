package io.smtpassistant.app.cli;

import io.smtpassistant.core.check.StageStatus;
import java.nio.charset.Charset;

/** Stage marks and colours for terminal output; colours only on a terminal, symbols only where UTF-8 prints. */
final class Marks {

    private static final boolean UTF8 = Charset.forName(System.getProperty("stdout.encoding", Charset.defaultCharset().name()),
            Charset.defaultCharset()).name().equalsIgnoreCase("UTF-8");

    private Marks() {
    }

    static String mark(StageStatus status, boolean color) {
        String text = switch (status) {
            case PASSED -> UTF8 ? "✔" : "ok  ";
            case FAILED -> UTF8 ? "✘" : "FAIL";
            case WARNING -> UTF8 ? "!" : "warn";
            case SKIPPED -> UTF8 ? "–" : "skip";
        };
        if (!color) {
            return text;
        }
        String code = switch (status) {
            case PASSED -> "32";
            case FAILED -> "31";
            case WARNING -> "33";
            case SKIPPED -> "90";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    static String bold(String s, boolean color) {
        return color ? "\u001b[1m" + s + "\u001b[0m" : s;
    }
}
