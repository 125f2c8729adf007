package io.smtpassistant.slack;

import java.util.Locale;

/**
 * The few words the Slack adapter adds around the engine's replies (button labels, headings), in
 * English or German. Everything the bot says comes from the engine, already in the user's language.
 */
record Words(boolean german) {

    static final Words ENGLISH = new Words(false);

    static Words of(Locale locale) {
        return new Words(locale != null && "de".equals(locale.getLanguage()));
    }

    String openForm() {
        return german ? "Formular öffnen" : "Open the form";
    }

    String formOrReply() {
        return german ? "Sie können auch einfach hier antworten." : "You can also simply reply here.";
    }

    String formHasPassword() {
        return german ? "Das Passwort geben Sie nur im Formular ein, nie als Nachricht."
                : "Enter the password only in the form, never as a message.";
    }

    String passwordNote() {
        return german
                ? ":lock: Das Passwort wird nur für diese eine Prüfung verwendet und nie gespeichert. Slack hat kein verdecktes Eingabefeld: Es ist beim Tippen sichtbar."
                : ":lock: The password is used once, for this check only, and never stored. Slack has no hidden input field: it is visible while you type.";
    }

    String cancel() {
        return german ? "Abbrechen" : "Cancel";
    }

    String checking() {
        return german ? "Prüfung läuft…" : "Checking…";
    }

    String adminSteps() {
        return german ? "Was Sie selbst tun können" : "What you can do";
    }

    String itSteps() {
        return german ? "Was Ihre IT tun muss" : "What your IT must do";
    }

    String copyHint() {
        return german ? "Zum Weiterleiten an Ihre IT kopieren:" : "Copy this and send it to your IT:";
    }

    /**
     * The line that takes the place of a question's buttons once one was clicked (a plain-text
     * context line: the label is shown as it was on the button). {@code name} blank: without a name.
     */
    String chose(String name, String label) {
        if (name.isBlank()) {
            return (german ? "✓ Gewählt: " : "✓ Chosen: ") + label;
        }
        return german ? "✓ " + name + " hat gewählt: " + label : "✓ " + name + " chose: " + label;
    }

    /** The line that takes the place of the "Open the form" button once the form was sent without errors. */
    String formSent() {
        return german ? "✓ Formular gesendet" : "✓ Form sent";
    }

    String notYourConversation() {
        return german ? "Diese Schaltflächen gehören zu einem Gespräch mit jemand anderem. Schreiben Sie mir selbst, um zu beginnen."
                : "These buttons belong to someone else's conversation. Message me yourself to start your own.";
    }

    String movedToDm() {
        return german ? "Ich schreibe Ihnen in einer Direktnachricht." : "I'll continue in a direct message with you.";
    }

    String cannotDm() {
        return german ? "Ich kann Ihnen gerade keine Direktnachricht schreiben. Öffnen Sie bitte die App und schreiben Sie mir dort."
                : "I cannot send you a direct message right now. Please open the app and message me there.";
    }

    String questionClosed() {
        return german ? "Diese Frage ist nicht mehr offen. Hier ist der aktuelle Schritt." : "That question is no longer open. Here is the current step.";
    }

    String noFiles() {
        return german ? "Screenshots und Dateien kann ich nicht lesen. Bitte fügen Sie den Text der Fehlermeldung hier als Nachricht ein."
                : "I can't read screenshots or files. Please paste the text of the error message here.";
    }

    String channelContinued(String name) {
        return german ? name + ", ich habe Ihnen eine Direktnachricht geschrieben: Ihre Einstellungen und die Antworten des Servers bleiben unter uns. Die Diagnose erscheint hier."
                : name + ", I have written to you in a direct message: your settings and the server's replies stay between us. The diagnosis will appear here.";
    }

    String channelDiagnosis(String name, String code, String title) {
        return (german ? "Diagnose für " : "Diagnosis for ") + name + ": " + code + " – " + title;
    }

    String channelNoDm(String name) {
        return german ? name + ", ich kann Ihnen keine Direktnachricht schreiben, und Ihre Einstellungen gehören nicht in diesen Kanal. Bitte öffnen Sie die App und schreiben Sie mir dort."
                : name + ", I cannot send you a direct message, and your settings do not belong in this channel. Please open the app and message me there.";
    }

    String homeTitle() {
        return german ? "SMTP-Einrichtung" : "SMTP setup";
    }

    String homeIntro() {
        return german ? "Ich prüfe Ihre SMTP-Einstellungen live und sage Ihnen in klaren Worten, was zu tun ist."
                : "I check your SMTP settings live and tell you in plain words what to do.";
    }

    String homeStart() {
        return german ? "Fehlersuche starten" : "Start troubleshooting";
    }

    String homeRequests() {
        return german ? "Ihre offenen Supportanfragen" : "Your open support requests";
    }

    String homeNoRequests() {
        return german ? "Sie haben keine offenen Supportanfragen." : "You have no open support requests.";
    }

    String status(String status) {
        if (!german) {
            return status;
        }
        return switch (status) {
            case "open" -> "offen";
            case "claimed" -> "in Bearbeitung";
            case "resolved" -> "erledigt";
            default -> status;
        };
    }
}
