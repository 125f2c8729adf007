package io.smtpassistant.app.terminal;

import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.ConversationRuntime;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The conversation in a terminal: reads a line, hands it to the runtime, waits until the bot has
 * said everything (checks print their stages live), then prompts again. Forms are asked field by
 * field ({@link TerminalForm}); passwords are read without echo on a real terminal. Piped input works
 * too (then nothing can be hidden, which it says once). {@code quit}, {@code exit} or end of input end
 * it; Ctrl-C ({@link #interrupt}) stops a running check, and at a prompt asks whether to quit.
 *
 * <p>When the bot first asks for the note of a support request (the request is about to be opened),
 * a person at a terminal is asked once for their name and e-mail address ({@link TerminalRequester});
 * the request then carries them. Piped input is not asked: the defaults are used.
 */
public final class TerminalChat {

    private static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(50);
    /** The engine's question for a support request's note: the request is about to be opened. */
    private static final String NOTE_QUESTION = "note";

    private final ConversationRuntime runtime;
    private final ConversationKey key;
    private final Locale locale;
    private final String name;
    private final TerminalRenderer renderer;
    private final TerminalRequester requester;
    private final boolean askRequester;
    private final TerminalWords words;
    private final Keyboard keyboard;
    private final TerminalForm forms;
    private volatile boolean ended;
    /** The chat waits for the bot (a check may run); Ctrl-C then stops the check instead of asking to quit. */
    private volatile boolean waiting;
    private volatile boolean stopCheck;
    /** A stored conversation of this person can be continued; {@link #forget} drops it when they want a fresh start. */
    private boolean resumable;
    private Runnable forget = () -> { };

    /**
     * @param name      how the bot greets the person: a name they gave, or "" (never the OS login)
     * @param console   the terminal for masked password entry, or null when input is piped
     * @param requester who is at the terminal; asked for name and e-mail before the first request when
     *                  {@code askRequester} and not known yet; null: never asked
     */
    public TerminalChat(ConversationRuntime runtime, ConversationKey key, TerminalWords words, String name, BufferedReader in,
                        Console console, TerminalRenderer renderer, TerminalRequester requester, boolean askRequester) {
        this.requester = requester;
        this.askRequester = askRequester && requester != null;
        this.runtime = runtime;
        this.key = key;
        this.words = words;
        this.locale = words.locale();
        this.name = name;
        this.renderer = renderer;
        this.keyboard = new Keyboard(in, console, renderer, words);
        this.forms = new TerminalForm(keyboard, renderer, words);
    }

    /**
     * Offers to continue the conversation this person left last time (its state was stored; the
     * password never is): yes continues at that step, no runs {@code forget} and starts afresh.
     */
    public TerminalChat resumable(Runnable forget) {
        this.resumable = true;
        this.forget = forget;
        return this;
    }

    public static TerminalRenderer renderer(PrintWriter out, boolean color, TerminalWords words) {
        return new TerminalRenderer(out, color, words);
    }

    /**
     * Ctrl-C, from the signal's thread (or a test): stops the running check (its connection is closed
     * and the conversation returns to the settings, everything kept); at a prompt, asks whether to quit.
     */
    public void interrupt() {
        if (ended) {
            return;
        }
        if (waiting) {
            stopCheck = true;
        } else {
            keyboard.interrupt();
        }
    }

    /** Runs until the user quits or input ends. Returns the exit code (0). */
    public int run() throws IOException, InterruptedException {
        // a kill (SIGTERM, a closed terminal) ends the JVM: say goodbye on a fresh line instead of leaving a half-written prompt
        Thread goodbye = new Thread(() -> {
            if (!ended) {
                renderer.println("");
                bye();
            }
        }, "terminal-goodbye");
        Runtime.getRuntime().addShutdownHook(goodbye);
        try {
            return loop();
        } finally {
            ended = true;
            try {
                Runtime.getRuntime().removeShutdownHook(goodbye);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran already
            }
        }
    }

    private int loop() throws IOException, InterruptedException {
        Boolean resume = resumable ? askResume() : Boolean.FALSE;
        if (resume == null) {
            return quit();
        }
        send(resume ? new Input.Resume() : new Input.Text(""));
        while (true) {
            Reply.Form form = renderer.takeForm();
            if (form != null) {
                switch (forms.fill(form)) {
                    case TerminalForm.Outcome.Send s -> send(s.input());
                    case TerminalForm.Outcome.Quit q -> {
                        return quit();
                    }
                }
                continue;
            }
            Reply.Question q = renderer.question();
            if (askRequester && q != null && NOTE_QUESTION.equals(q.id()) && !requester.settled()) {
                if (!requester.ask(keyboard, renderer, words)) {
                    return quit();
                }
                renderer.render(List.of(q)); // the note question again, right above where it is answered
            }
            String line = keyboard.line("> ");
            if (line == null || words.is("terminal.command.quit", line)) {
                return quit();
            }
            send(toInput(line.strip()));
        }
    }

    /** True: continue the stored conversation; false: start afresh (it is forgotten); null: input ended. */
    private Boolean askResume() throws IOException {
        String answer = keyboard.line(words.text("terminal.resume.question") + " ");
        if (answer == null) {
            return null;
        }
        if (words.is("terminal.quit.yes", answer)) {
            return true;
        }
        forget.run();
        return false;
    }

    private Input toInput(String line) {
        List<Reply.Choice> choices = renderer.choices();
        if (line.matches("\\d{1,2}")) {
            int i = Integer.parseInt(line) - 1;
            if (i >= 0 && i < choices.size()) {
                return new Input.Choice(choices.get(i).id());
            }
        }
        return new Input.Text(line);
    }

    /** Hands the input to the bot and waits until it has said everything; Ctrl-C meanwhile stops a running check. */
    private void send(Input input) throws InterruptedException {
        stopCheck = false;
        waiting = true;
        try {
            runtime.submit(key, locale, name, input);
            long end = System.nanoTime() + MAX_WAIT.toNanos();
            while (!runtime.awaitIdle(key, POLL)) {
                if (stopCheck) {
                    stopCheck = false;
                    if (runtime.cancelCheck(key)) {
                        renderer.println("");
                        renderer.println(words.text("terminal.check.stopping"));
                    } else {
                        keyboard.interrupt(); // no check to stop (a request being stored): ask whether to quit
                    }
                }
                if (System.nanoTime() - end > 0) {
                    renderer.println(words.text("terminal.still-working"));
                    return;
                }
            }
        } finally {
            waiting = false;
        }
    }

    /**
     * The user ends the chat (quit, Ctrl-C and yes, end of input). The seam for resuming later: the
     * conversation's state is in the runtime's store at this point (the password never is).
     */
    private int quit() {
        return bye();
    }

    private int bye() {
        ended = true;
        renderer.println(words.text("terminal.bye"));
        return 0;
    }
}
