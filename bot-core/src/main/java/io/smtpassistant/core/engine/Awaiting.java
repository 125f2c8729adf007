package io.smtpassistant.core.engine;

/**
 * What a conversation waits for: one record per step, carrying the data only that step needs. The
 * engine dispatches on it with exhaustive switches, so a new step does not compile until every
 * switch handles it. {@link #node()} is the tree node the conversation stands at ("" outside the
 * tree); it is also what tells two steps of the same kind apart for "back".
 */
public sealed interface Awaiting {

    /** The entry question; the record has no data, so one instance serves every conversation. */
    ChooseEntry CHOOSE_ENTRY = new ChooseEntry();

    /** The step's name, for tests, logs and benchmarks (the engine itself switches on the records). */
    Phase phase();

    /** The tree node the conversation stands at ("" when none). */
    default String node() {
        return "";
    }

    /**
     * Whether this step waits for an effect's result (a live check, an MX lookup, the opening of a
     * request): a conversation stored in such a step by an instance that stopped waits for nothing
     * that will come, and is offered the work again ({@link Input.Resume}).
     */
    default boolean waitsForEffect() {
        return switch (this) {
            case Checking x -> true;
            case SigningIn x -> true;
            case LookingUpProvider x -> true;
            case OpeningRequest x -> true;
            default -> false;
        };
    }

    /** Nothing said yet. */
    record New() implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.NEW;
        }
    }

    /** The entry question (what do you need?). */
    record ChooseEntry() implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.CHOOSE_ENTRY;
        }
    }

    /** A question node of the tree. */
    record TreeQuestion(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.TREE_QUESTION;
        }
    }

    /**
     * The sender address, asked first.
     *
     * @param changing the user said they changed the sender: after it, only the password is asked again
     * @param draft    a wrong address as typed, or a near miss of a well-known domain ("did you mean …?")
     */
    record AskSender(String node, boolean changing, FormDraft draft) implements Awaiting {
        public AskSender(String node, boolean changing) {
            this(node, changing, FormDraft.NONE);
        }

        @Override
        public Phase phase() {
            return Phase.ASK_SENDER;
        }
    }

    /** Waiting for the MX lookup of the sender's domain. */
    record LookingUpProvider(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.LOOKING_UP_PROVIDER;
        }
    }

    /** "Looks like Microsoft 365 … Use these?" */
    record ConfirmPreset(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.CONFIRM_PRESET;
        }
    }

    /** "Do several people send from this address?" */
    record AskShared(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.ASK_SHARED;
        }
    }

    /**
     * The settings form: host, port, security, user name, password.
     *
     * @param draft the failing values of the last submit, as typed, with their errors
     */
    record SettingsForm(String node, FormDraft draft) implements Awaiting {
        public SettingsForm(String node) {
            this(node, FormDraft.NONE);
        }

        @Override
        public Phase phase() {
            return Phase.SETTINGS_FORM;
        }
    }

    /**
     * Only the password, for another run of the check, and what the user said they changed.
     *
     * @param change {@link Change#USERNAME} or {@link Change#SERVER} add those fields; anything else asks the
     *               password alone
     * @param draft  the failing values of the last submit, as typed, with their errors
     */
    record AskPassword(String node, Change change, FormDraft draft) implements Awaiting {
        public AskPassword(String node, Change change) {
            this(node, change, FormDraft.NONE);
        }

        @Override
        public Phase phase() {
            return Phase.ASK_PASSWORD;
        }
    }

    /** A check is running. */
    record Checking(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.CHECKING;
        }
    }

    /**
     * How the recruiting service logs in to a Microsoft 365 mailbox: with a password, or with "Sign in with
     * Microsoft" (OAuth), which the assistant can test by a device-code sign-in. Asked only when that sign-in
     * is configured.
     *
     * @param afterCheck asked after a check showed that password login is refused or about to be switched off:
     *                   the choices are "test the modern sign-in" or "continue" (to where the check led);
     *                   else "password" or "Sign in with Microsoft"
     */
    record ChooseSignIn(String node, boolean afterCheck) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.CHOOSE_SIGN_IN;
        }
    }

    /**
     * Waiting for the user to sign in with Microsoft elsewhere (device code), and then for the check with
     * the token. The run id is the conversation's: a late code or result of a stopped sign-in is ignored.
     * The token never comes here: the effect handler keeps it and runs the check itself.
     */
    record SigningIn(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.SIGNING_IN;
        }
    }

    /** Advice was shown: did that fix it? */
    record AdviceConfirm(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.ADVICE_CONFIRM;
        }
    }

    /** "What did you change?" */
    record AskChanged(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.ASK_CHANGED;
        }
    }

    /** Too many wrong answers: try again, help, or a human? */
    record HelpOffered(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.HELP_OFFERED;
        }
    }

    /** Escalation: an optional note for support. */
    record AskNote(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.ASK_NOTE;
        }
    }

    /** Waiting for the support request to be stored. */
    record OpeningRequest(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.OPENING_REQUEST;
        }
    }

    /** A support request is open; messages go to support. */
    record Escalated(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.ESCALATED;
        }
    }

    /** A check passed and the walk ended: "Did this fix it?", asked once per conversation. */
    record Feedback(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.FEEDBACK;
        }
    }

    /** The conversation ended (solved, cancelled, handed to IT). */
    record Done(String node) implements Awaiting {
        @Override
        public Phase phase() {
            return Phase.DONE;
        }
    }

    /** What the user said they changed since the last check ("What did you change?"). */
    enum Change {
        PASSWORD, USERNAME, SERVER, SENDER, OTHER;

        private final String id = name().toLowerCase(java.util.Locale.ROOT);

        /** The id in choice ids ({@code changed:server}) and in the path. */
        String id() {
            return id;
        }
    }
}
