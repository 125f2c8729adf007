package io.smtpassistant.slack;

import io.smtpassistant.knowledge.Knowledge;
import io.smtpassistant.knowledge.Texts;
import java.util.Locale;

/** The adapter's words from the real texts.yaml, for tests. */
final class TestWords {

    static final Texts TEXTS = Knowledge.load().texts();
    static final Words ENGLISH = new Words(TEXTS, Locale.ENGLISH);
    static final Words GERMAN = new Words(TEXTS, Locale.GERMAN);

    private TestWords() {
    }
}
