package io.smtpassistant.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewClose;
import com.slack.api.model.view.ViewSubmit;
import com.slack.api.model.view.ViewTitle;
import io.smtpassistant.core.check.StageStatus;
import io.smtpassistant.core.engine.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Engine replies as Block Kit: pure functions from reply records to blocks and views, no I/O. Keeps
 * Slack's limits (section text 3000 characters, 25 buttons per actions block, modal title 24).
 */
final class BlockKit {

    static final String CHOICE_ACTION = "choice:";
    static final String FORM_ACTION = "form:open";
    static final String FORM_CALLBACK = "form:";
    /** The block id of a form message's hint, which speaks of the button and goes with it. */
    static final String FORM_HINT = "form:hint";
    static final int MAX_SECTION = 3000;

    private BlockKit() {
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters. */
    static String escape(String s) {
        return SlackMarkup.escape(s);
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Slack's limit for a button's and an option's text. */
    static final int MAX_LABEL = 75;

    /**
     * A label that fits {@code max} characters: as it is, or cut after the last whole word that fits,
     * with "…". A single word longer than half the room is cut inside (there is no better place).
     */
    static String label(String s, int max) {
        String t = s.strip();
        if (t.length() <= max) {
            return t;
        }
        int end = t.lastIndexOf(' ', max - 1);
        while (end > 0 && !Character.isLetterOrDigit(t.charAt(end - 1)) && t.charAt(end - 1) != ')') {
            end--; // no dangling dash or comma before the ellipsis
        }
        if (end < max / 2) {
            end = max - 1;
        }
        return t.substring(0, end).strip() + "…";
    }

    static LayoutBlock markdown(String mrkdwn) {
        return section(s -> s.text(markdownText(cut(mrkdwn, MAX_SECTION))));
    }

    static List<LayoutBlock> text(Reply.Text t) {
        // neutral Markdown links (support's messages and notes) arrive as Slack links; the rest is escaped
        return t.text().isBlank() ? List.of() : List.of(markdown(SlackMarkup.toSlack(t.text())));
    }

    /** The question and one button per choice; each button's value is the choice id. */
    static List<LayoutBlock> question(Reply.Question q, String blockId) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(markdown(escape(q.text())));
        List<BlockElement> buttons = new ArrayList<>();
        for (int i = 0; i < q.choices().size() && i < 25; i++) {
            Reply.Choice c = q.choices().get(i);
            String actionId = CHOICE_ACTION + i;
            buttons.add(button(b -> b.actionId(actionId).text(plainText(label(c.label(), MAX_LABEL))).value(c.id())));
        }
        if (!buttons.isEmpty()) {
            blocks.add(actions(a -> a.blockId(blockId).elements(buttons)));
        }
        return blocks;
    }

    /**
     * The device code of a sign-in with Microsoft: the page as a link, the code in a code span (copied
     * without surrounding words), and a Cancel button that answers like a choice (its value is the id).
     */
    static List<LayoutBlock> signInCode(Reply.SignInCode c, String blockId, Words w) {
        String link = "<" + c.verificationUri().replace("|", "%7C").replace(">", "%3E") + "|" + escape(w.signInOpen()) + ">";
        String code = "`" + c.userCode().replace("`", "") + "`";
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(markdown("*" + escape(c.title()) + "*\n" + escape(c.text())));
        blocks.add(markdown(":key: " + link + "   " + escape(w.signInCode()) + ": " + code));
        Reply.Choice cancel = c.cancel();
        blocks.add(actions(a -> a.blockId(blockId).elements(List.of(button(x -> x.actionId(CHOICE_ACTION + 0)
                .style("danger").text(plainText(label(cancel.label(), MAX_LABEL))).value(cancel.id()))))));
        return blocks;
    }

    /** A message that invites the user to open a form (a modal needs a fresh click to open). */
    static List<LayoutBlock> formInvite(Reply.Form f, String blockId, Words w) {
        List<LayoutBlock> blocks = new ArrayList<>();
        StringBuilder b = new StringBuilder("*").append(escape(f.title())).append("*");
        if (!f.intro().isBlank()) {
            b.append("\n").append(escape(f.intro()));
        }
        for (Reply.Field field : f.fields()) {
            if (!field.error().isEmpty()) {
                b.append("\n:warning: ").append(escape(field.label())).append(": ").append(escape(field.error()));
            }
        }
        blocks.add(markdown(b.toString()));
        blocks.add(actions(a -> a.blockId(blockId).elements(List.of(
                button(x -> x.actionId(FORM_ACTION).style("primary").text(plainText(w.openForm())).value(formButtonValue(f)))))));
        boolean secret = f.fields().stream().anyMatch(x -> x.type() == Reply.FieldType.SECRET);
        if (secret) {
            blocks.add(context(c -> c.blockId(FORM_HINT).elements(List.of(markdownText(w.formHasPassword())))));
        } else if (f.fields().size() == 1) {
            blocks.add(context(c -> c.blockId(FORM_HINT).elements(List.of(markdownText(w.formOrReply())))));
        }
        return blocks;
    }

    /** The block id of the actions block that holds a message's "Open the form" button, if it has one. */
    static Optional<String> formButtonBlock(List<LayoutBlock> blocks) {
        for (LayoutBlock b : blocks) {
            if (b instanceof ActionsBlock a && a.getElements() != null && a.getElements().stream()
                    .anyMatch(e -> e instanceof ButtonElement button && FORM_ACTION.equals(button.getActionId()))) {
                return Optional.ofNullable(a.getBlockId());
            }
        }
        return Optional.empty();
    }

    /** Whether the blocks hold an actions block with this id (a step's buttons). */
    static boolean hasActions(List<LayoutBlock> blocks, String blockId) {
        return blocks.stream().anyMatch(b -> b instanceof ActionsBlock a && blockId.equals(a.getBlockId()));
    }

    /**
     * A message once answered: the blocks as shown, with the actions block {@code actionsBlockId}
     * replaced by a context line saying what was answered (so nothing can be clicked twice and the
     * question stays readable), and a form's hint dropped (it speaks of the button). Empty when the
     * message holds no such actions block: it was updated already.
     */
    static Optional<List<LayoutBlock>> answered(List<LayoutBlock> shown, String actionsBlockId, String line) {
        List<LayoutBlock> out = new ArrayList<>();
        boolean replaced = false;
        for (LayoutBlock b : shown) {
            if (b instanceof ActionsBlock a && a.getBlockId() != null && a.getBlockId().equals(actionsBlockId)) {
                out.add(context(c -> c.elements(List.of(plainText(cut(line, 2000))))));
                replaced = true;
            } else if (!(b instanceof ContextBlock c && FORM_HINT.equals(c.getBlockId()))) {
                out.add(b);
            }
        }
        return replaced ? Optional.of(out) : Optional.empty();
    }

    /**
     * The value of a form's "open the form" button: the form's id and a checksum of what it shows
     * (fields, values, errors), the same on every instance. An instance opens its own copy of the form
     * only when it is the one the clicked button was posted with.
     */
    static String formButtonValue(Reply.Form f) {
        CRC32 crc = new CRC32();
        StringBuilder b = new StringBuilder(f.title()).append('\0').append(f.intro());
        for (Reply.Field field : f.fields()) {
            b.append('\0').append(field.id()).append('\0').append(field.type().name()).append('\0').append(field.label())
                    .append('\0').append(field.value()).append('\0').append(field.error()).append('\0').append(field.required());
        }
        crc.update(b.toString().getBytes(StandardCharsets.UTF_8));
        return f.id() + "|" + Long.toHexString(crc.getValue());
    }

    /** The ids of a form's secret fields (the password), whose values must never land in the form's values. */
    static Set<String> secretFieldIds(Reply.Form f) {
        Set<String> ids = new LinkedHashSet<>();
        f.fields().stream().filter(x -> x.type() == Reply.FieldType.SECRET).forEach(x -> ids.add(x.id()));
        return ids;
    }

    /**
     * The form as a modal. Each field is an input block whose block id and action id are the field
     * id, so a validation error maps straight onto it. The secret field is a plain text input (Block
     * Kit has none that hides what is typed) with a note saying so; it is never prefilled.
     */
    static View modal(Reply.Form f, String privateMetadata, Words w) {
        List<LayoutBlock> blocks = new ArrayList<>();
        if (!f.intro().isBlank()) {
            blocks.add(markdown(escape(f.intro())));
        }
        for (Reply.Field field : f.fields()) {
            if (field.type() == Reply.FieldType.SECRET) {
                blocks.add(context(c -> c.elements(List.of(markdownText(w.passwordNote())))));
            }
            blocks.add(inputFor(field));
        }
        return View.builder()
                .type("modal")
                .callbackId(FORM_CALLBACK + f.id())
                .title(ViewTitle.builder().type("plain_text").text(cut(f.title(), 24)).build())
                .submit(ViewSubmit.builder().type("plain_text").text(cut(f.submitLabel(), 24)).build())
                .close(ViewClose.builder().type("plain_text").text(w.cancel()).build())
                .privateMetadata(cut(privateMetadata, 3000))
                .blocks(blocks)
                .build();
    }

    private static LayoutBlock inputFor(Reply.Field field) {
        BlockElement element;
        if (field.type() == Reply.FieldType.CHOICE && !field.options().isEmpty()) {
            List<OptionObject> options = field.options().stream()
                    .map(o -> OptionObject.builder().text(plainText(label(o.label(), MAX_LABEL))).value(o.id()).build()).toList();
            OptionObject initial = options.stream().filter(o -> o.getValue().equals(field.value())).findFirst().orElse(null);
            element = staticSelect(s -> s.actionId(field.id()).options(options).initialOption(initial));
        } else {
            String initial = field.type() == Reply.FieldType.SECRET || field.value().isEmpty() ? null : field.value();
            element = plainTextInput(p -> p.actionId(field.id()).initialValue(initial));
        }
        String hint = field.error().isEmpty() ? field.hint() : ":warning: " + field.error()
                + (field.hint().isEmpty() ? "" : " – " + field.hint());
        return input(i -> i.blockId(field.id())
                .label(plainText(cut(field.label(), 2000)))
                .element(element)
                .optional(!field.required())
                .hint(hint.isEmpty() ? null : plainText(cut(hint, 2000))));
    }

    static String mark(StageStatus s) {
        return switch (s) {
            case PASSED -> ":white_check_mark:";
            case FAILED -> ":x:";
            case WARNING -> ":warning:";
            case SKIPPED -> ":heavy_minus_sign:";
        };
    }

    static String stageLine(String stage, StageStatus status, long millis, String text) {
        String time = status == StageStatus.SKIPPED ? "" : " `" + millis + " ms`";
        return mark(status) + " *" + escape(stage) + "*" + time + (text.isBlank() ? "" : " " + escape(text));
    }

    /** The live stage list of a running check (one message, updated in place). */
    static List<LayoutBlock> progress(List<Reply.Progress> lines, Words w) {
        StringBuilder b = new StringBuilder("*").append(w.checking()).append("*");
        for (Reply.Progress p : lines) {
            b.append("\n").append(stageLine(p.label(), p.status(), p.millis(), p.text()));
        }
        return List.of(markdown(b.toString()));
    }

    /** The finished check: the diagnosis, then a compact stage list with marks and timings. */
    static List<LayoutBlock> report(Reply.Report r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        StringBuilder head = new StringBuilder("*").append(escape(r.title())).append("*: `").append(escape(r.diagnosisCode()))
                .append("` ").append(escape(r.diagnosisTitle()));
        if (!r.comparison().isEmpty()) {
            head.append("\n").append(escape(r.comparison()));
        }
        blocks.add(markdown(head.toString()));
        StringBuilder stages = new StringBuilder();
        for (Reply.StageLine s : r.stages()) {
            if (!stages.isEmpty()) {
                stages.append("\n");
            }
            stages.append(stageLine(s.label(), s.status(), s.millis(), s.text()));
            if (s.status() == StageStatus.FAILED && s.serverReply() != null && !s.serverReply().isBlank()) {
                stages.append("\n        `").append(escape(cut(s.serverReply().replace('`', '\''), 300))).append("`");
            }
        }
        if (!stages.isEmpty()) {
            blocks.add(markdown(stages.toString()));
        }
        if (!r.untested().isEmpty()) {
            blocks.add(markdown(escape(r.untested())));
        }
        if (!r.findings().isEmpty()) {
            StringBuilder f = new StringBuilder("*").append(escape(r.findingsHeading())).append("*");
            for (Reply.FindingNote n : r.findings()) {
                f.append("\n:warning: ").append(escape(n.text()));
                for (String a : n.advice()) {
                    f.append("\n        ").append(escape(a));
                }
            }
            blocks.add(markdown(cut(f.toString(), 2900)));
        }
        return blocks;
    }

    static List<LayoutBlock> advice(Reply.Advice a, Words w) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(markdown("*" + escape(a.title()) + "*\n" + escape(a.explanation())));
        if (!a.adminSteps().isEmpty()) {
            blocks.add(markdown(steps(w.adminSteps(), a.adminSteps())));
        }
        if (!a.itSteps().isEmpty()) {
            blocks.add(markdown(steps(w.itSteps(), a.itSteps())));
        }
        if (!a.links().isEmpty()) {
            blocks.add(context(c -> c.elements(a.links().stream().limit(10)
                    .map(l -> (com.slack.api.model.block.ContextBlockElement) markdownText(escape(l))).toList())));
        }
        if (!a.terms().isEmpty()) { // the technical terms it uses, explained: a small footnote
            blocks.add(context(c -> c.elements(a.terms().stream().limit(10)
                    .map(x -> (com.slack.api.model.block.ContextBlockElement) markdownText(escape(x))).toList())));
        }
        return blocks;
    }

    private static String steps(String heading, List<String> steps) {
        StringBuilder b = new StringBuilder("*").append(escape(heading)).append("*");
        for (int i = 0; i < steps.size(); i++) {
            b.append("\n").append(i + 1).append(". ").append(escape(steps.get(i)));
        }
        return b.toString();
    }

    static List<LayoutBlock> requestOpened(Reply.RequestOpened o) {
        return List.of(markdown(":ticket: *" + escape(o.text()) + "*"));
    }

    /** A summary for IT as one code block, so it copies as a whole. */
    static List<LayoutBlock> forwardToIt(Reply.ForwardToIt f, Words w) {
        return List.of(
                header(h -> h.text(plainText(cut(f.title(), 150)))),
                context(c -> c.elements(List.of(markdownText(w.copyHint())))),
                markdown("```" + escape(cut(f.body().replace("```", "'''"), MAX_SECTION - 10)) + "```"));
    }

    /** The notification text of a message (what phones and screen readers show). */
    static String fallback(Reply r) {
        String s = switch (r) {
            case Reply.Text t -> t.text();
            case Reply.Question q -> q.text();
            case Reply.Form f -> f.title();
            case Reply.Progress p -> p.label() + " " + p.status().id();
            case Reply.Report rep -> rep.title() + ": " + rep.diagnosisCode();
            case Reply.Advice a -> a.title();
            case Reply.RequestOpened o -> o.text();
            case Reply.ForwardToIt f -> f.title();
            case Reply.SignInCode c -> c.title() + ": " + c.userCode();
        };
        return cut(s.strip(), 300);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
