package io.smtpassistant.app.cli;

import io.smtpassistant.core.check.CheckListener;
import io.smtpassistant.core.check.PortProbe;
import io.smtpassistant.core.check.StageResult;
import io.smtpassistant.knowledge.Texts;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints each stage as it finishes, so a person sees the check progress live. Called on the checking thread. */
final class ProgressPrinter implements CheckListener {

    private final PrintWriter out;
    private final Texts texts;
    private final Locale locale;
    private final boolean color;

    ProgressPrinter(PrintWriter out, Texts texts, Locale locale, boolean color) {
        this.out = out;
        this.texts = texts;
        this.locale = locale;
        this.color = color;
    }

    @Override
    public void onStage(StageResult r) {
        synchronized (out) {
            out.println(ReportText.stageLine(r, texts, locale, color));
            out.flush();
        }
    }

    @Override
    public void onProbe(PortProbe p) {
        synchronized (out) {
            out.println(ReportText.probeLine(p, texts, locale));
            out.flush();
        }
    }
}
