package io.smtpassistant.core.engine;

import io.smtpassistant.core.check.CheckSettings;
import java.util.List;

/**
 * Handing over to a human: an optional note, the support request (stored by an effect; its id shown
 * only after the commit), and then the request's life as the requester sees it: messages to and from
 * support, status changes, a re-check asked for by an agent. A conversation that forgot its request
 * (after a restart, or when idle) and is not in the middle of anything takes it up again.
 */
final class Escalation {

    private final Steps steps;
    private final EngineTexts texts;
    private final ItSummary itSummary;

    Escalation(Steps steps) {
        this.steps = steps;
        this.texts = steps.texts;
        this.itSummary = new ItSummary(texts);
    }

    /** Starts the escalation (asks for a note), unless a request is open already. */
    void escalate(Turn t, boolean asked) {
        if (!t.e.requestId.isEmpty()) {
            t.say(texts.text(t, "engine.escalate.already-open", "id", t.e.requestId));
            return;
        }
        if (t.e.awaiting instanceof Awaiting.Checking) {
            t.e.runId++; // a late result of the running check is ignored
        }
        if (asked) {
            t.say(texts.text(t, "engine.escalate.asked"));
        }
        t.e.moveTo(new Awaiting.AskNote(t.e.node()));
        steps.prompt(t);
    }

    void noteGiven(Turn t, Turn.Answer a) {
        String note = "note:skip".equals(a.choiceId()) || steps.answers.isSkip(a.text()) ? "" : a.text();
        if (note.length() > 2000) {
            note = note.substring(0, 2000);
        }
        t.e.step("note", note.isEmpty() ? "-" : "note");
        t.e.moveTo(new Awaiting.OpeningRequest(t.e.node()));
        t.say(texts.text(t, "engine.request.opening"));
        CheckSettings s = t.e.settings;
        String summary = t.e.lastReport.map(r -> texts.text(t, "engine.request.summary-with-check", "sender", s.sender(),
                "host", s.host(), "code", r.diagnosis().name()).text())
                .orElse(texts.text(t, "engine.request.summary", "sender", s.sender().isEmpty() ? "?" : s.sender(),
                        "entry", t.e.entry.isEmpty() ? "-" : t.e.entry).text());
        t.effect(new Effect.OpenRequest(new SupportRequestDraft(t.e.key.platform(), t.e.key.user(), t.e.displayName, summary,
                s, t.e.providerId, t.e.lastReport, t.e.path, note, t.e.locale.getLanguage())));
    }

    void notePrompt(Turn t) {
        t.say(new Reply.Question("note", texts.text(t, "engine.note.question").text(),
                List.of(new Reply.Choice("note:skip", texts.text(t, "engine.note.skip").text()))));
    }

    void opened(Turn t, Input.RequestOpened opened) {
        if (!(t.e.awaiting instanceof Awaiting.OpeningRequest)) {
            return;
        }
        String requestId = opened.requestId();
        t.e.requestId = requestId;
        steps.feedback.escalated(t);
        t.e.moveTo(new Awaiting.Escalated(t.e.node()));
        t.say(new Reply.RequestOpened(requestId, texts.text(t, opened.supportReached() ? "engine.request.opened"
                : "engine.request.opened-no-channel", "id", requestId).text()));
        if (opened.noteMasked()) {
            t.say(texts.text(t, "engine.support.masked"));
        }
        t.say(forwardToIt(t));
    }

    void failed(Turn t) {
        if (t.e.awaiting instanceof Awaiting.OpeningRequest) {
            t.say(texts.text(t, "engine.request.failed"));
            t.e.moveTo(new Awaiting.AskNote(""));
            steps.prompt(t);
        }
    }

    /** Text while escalated goes to the request. */
    void relay(Turn t, String text) {
        if (!text.isEmpty()) {
            t.effect(new Effect.RelayToSupport(t.e.requestId, t.e.displayName, text));
            t.say(texts.text(t, "engine.support.relayed", "id", t.e.requestId));
        } else {
            steps.prompt(t);
        }
    }

    /** What became of the requester's message to their request. */
    void followUp(Turn t, Input.FollowUp f) {
        if (!f.requestId().equals(t.e.requestId)) {
            return;
        }
        if (!f.stored()) {
            t.say(texts.text(t, "engine.support.closed", "id", f.requestId()));
            t.e.requestId = "";
            t.e.moveTo(new Awaiting.Done(""));
            return;
        }
        if (f.reopened()) {
            t.say(texts.text(t, "engine.support.reopened-by-you", "id", f.requestId()));
        }
        if (f.masked()) {
            t.say(texts.text(t, "engine.support.masked"));
        }
    }

    /** Support asks for a re-check: the settings are kept, only the password is asked. */
    void recheckAsked(Turn t, Input.RecheckAsked r) {
        if (t.e.requestId.isEmpty() && adoptsRequest(t)) {
            t.e.requestId = r.requestId();
        }
        if (!r.requestId().equals(t.e.requestId)) {
            return;
        }
        if (t.e.settings.host().isBlank() || t.e.awaiting instanceof Awaiting.Checking) {
            t.say(texts.text(t, "engine.support.recheck-no-settings", "author", r.author(), "id", r.requestId()));
            return;
        }
        t.say(texts.text(t, "engine.support.recheck", "author", r.author(), "id", r.requestId()));
        steps.check.askPasswordAgain(t);
    }

    /** A support agent wrote to this requester. */
    void supportMessage(Turn t, Input.SupportMessage m) {
        adopt(t, m.requestId());
        t.say(texts.text(t, "engine.support.message", "author", m.author(), "text", m.text()));
    }

    void updated(Turn t, Input.RequestUpdated u) {
        adopt(t, u.requestId());
        if (!u.requestId().equals(t.e.requestId)) {
            return;
        }
        switch (u.status()) {
            case CLAIMED -> t.say(texts.text(t, "engine.support.claimed", "id", u.requestId(), "actor", u.actor()));
            case RESOLVED -> {
                // no dangling colon: a resolve without a note has a sentence of its own
                String note = u.note() == null ? "" : u.note().strip();
                t.say(note.isEmpty() ? texts.text(t, "engine.support.resolved-plain", "id", u.requestId(), "actor", u.actor())
                        : texts.text(t, "engine.support.resolved", "id", u.requestId(), "note", note));
                // stays escalated: a message within the reopen window goes to the request and reopens it
                if (!(t.e.awaiting instanceof Awaiting.Escalated)) {
                    t.e.moveTo(new Awaiting.Escalated(t.e.node()));
                }
            }
            case REOPENED -> t.say(texts.text(t, "engine.support.reopened", "id", u.requestId(), "actor", u.actor()));
            case RELEASED -> t.say(texts.text(t, "engine.support.released", "id", u.requestId()));
        }
    }

    /** A forgotten request (restart, idle) is taken up again where the conversation is not in the middle of anything. */
    private void adopt(Turn t, String requestId) {
        if (t.e.requestId.isEmpty() && adoptsRequest(t)) {
            t.e.requestId = requestId;
            t.e.moveTo(new Awaiting.Escalated(t.e.node()));
        }
    }

    private static boolean adoptsRequest(Turn t) {
        return switch (t.e.awaiting) {
            case Awaiting.New n -> true;
            case Awaiting.ChooseEntry c -> true;
            case Awaiting.Done d -> true;
            default -> false;
        };
    }

    Reply.ForwardToIt forwardToIt(Turn t) {
        return itSummary.forwardToIt(t);
    }
}
