package io.smtpassistant.benchmarks;

import io.smtpassistant.core.engine.Conversation;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.EngineConfig;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Phase;
import io.smtpassistant.core.engine.RealConversationEngine;
import io.smtpassistant.core.engine.Transition;
import io.smtpassistant.knowledge.Knowledge;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conversation the engine benchmarks replay: greeting, the first-setup entry, the mailbox-kind
 * question, the sender form (a GMX address, so the preset is known and no MX lookup is needed), the
 * preset, the shared-mailbox question, back, help, the shared question again, restart. Ten turns;
 * after the last the conversation starts over from a fresh state. No turn asks for I/O: the sender's
 * provider is known from the address and the settings form is never submitted, so no effect is
 * produced at all.
 *
 * <p>Two styles of the same walk: {@link Style#BUTTONS} is how Slack and Teams users answer
 * (choice ids, the sender form, menu commands), {@link Style#TYPED} is the terminal (numbers, words
 * and commands typed as text, which goes through the engine's free-text matching).
 *
 * <p>Each step names the phase it must end in; the benchmark checks the whole walk once before it
 * measures, and the sanity test checks it on every build, so the numbers always belong to this walk.
 */
final class EngineCycle {

    static final ConversationKey KEY = new ConversationKey("slack", "T0123ABCDE", "U04ANNA1234", "");
    static final Locale LOCALE = Locale.ENGLISH;
    static final String NAME = "Anna";
    static final String SENDER = "anna@gmx.de";

    enum Style { BUTTONS, TYPED }

    /** One turn of the walk: what the user sends and the phase the conversation must be in afterwards. */
    record Step(String label, Input input, Phase expected) {
    }

    private EngineCycle() {
    }

    /** The engine as the chat server builds it (chat mode, a configured sending address, the system clock). */
    static RealConversationEngine engine(Knowledge knowledge) {
        EngineConfig config = EngineConfig.defaults().withSendingIps(List.of("203.0.113.10"), false);
        return new RealConversationEngine(knowledge, config, Clock.systemUTC());
    }

    static Conversation fresh(RealConversationEngine engine) {
        return engine.start(KEY, LOCALE, NAME);
    }

    static List<Step> steps(Style style) {
        boolean buttons = style == Style.BUTTONS;
        Input sender = new Input.FormSubmit("sender", Map.of("sender", SENDER), null);
        return List.of(
                new Step("greeting", new Input.Text("hi"), Phase.CHOOSE_ENTRY),
                new Step("entry", buttons ? new Input.Choice("entry:first-setup")
                        : new Input.Text("I want to set up our mailbox"), Phase.TREE_QUESTION),
                new Step("tree question", buttons ? new Input.Choice("opt:0") : new Input.Text("1"), Phase.ASK_SENDER),
                new Step("sender form", sender, Phase.CONFIRM_PRESET),
                new Step("preset", buttons ? new Input.Choice("preset:yes") : new Input.Text("yes"), Phase.ASK_SHARED),
                new Step("shared", buttons ? new Input.Choice("shared:no") : new Input.Text("no"), Phase.SETTINGS_FORM),
                new Step("back", command(buttons, Input.CommandKind.BACK, "back"), Phase.ASK_SHARED),
                new Step("help", command(buttons, Input.CommandKind.HELP, "help"), Phase.ASK_SHARED),
                new Step("shared again", buttons ? new Input.Choice("shared:no") : new Input.Text("no"), Phase.SETTINGS_FORM),
                new Step("restart", command(buttons, Input.CommandKind.RESTART, "restart"), Phase.CHOOSE_ENTRY));
    }

    /** The single typical turn: a choice on the tree question (state: at the mailbox-kind question). */
    static Step typicalTurn(Style style) {
        return steps(style).get(2);
    }

    /** The state the walk is in before step {@code index} (0 = fresh). */
    static Conversation stateBefore(RealConversationEngine engine, Style style, int index) {
        Conversation state = fresh(engine);
        List<Step> steps = steps(style);
        for (int i = 0; i < index; i++) {
            state = turn(engine, state, steps.get(i)).state();
        }
        return state;
    }

    /**
     * One turn, checked: the conversation must end in the step's phase and the turn must say something
     * and ask for nothing (no effect means no I/O).
     */
    static Transition turn(RealConversationEngine engine, Conversation state, Step step) {
        Transition t = engine.handle(state, step.input());
        if (t.state().phase() != step.expected() || t.replies().isEmpty() || !t.effects().isEmpty()) {
            throw new IllegalStateException("the benchmark's walk no longer matches the engine: step '" + step.label()
                    + "' (" + step.input() + ") from " + state.phase() + " ended in " + t.state().phase() + " with "
                    + t.replies().size() + " replies and effects " + t.effects() + "; expected " + step.expected()
                    + ", at least one reply and no effect. Update EngineCycle to the engine's current flow.");
        }
        return t;
    }

    /** Walks the whole cycle once, checking every step; returns the phases in order. */
    static List<Phase> verify(RealConversationEngine engine, Style style) {
        Conversation state = fresh(engine);
        List<Step> steps = steps(style);
        Phase[] phases = new Phase[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            state = turn(engine, state, steps.get(i)).state();
            phases[i] = state.phase();
        }
        return List.of(phases);
    }

    private static Input command(boolean buttons, Input.CommandKind kind, String typed) {
        return buttons ? new Input.Command(kind) : new Input.Text(typed);
    }
}
