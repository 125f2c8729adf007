package io.smtpassistant.teams;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smtpassistant.core.engine.ConversationKey;
import io.smtpassistant.core.engine.Input;
import io.smtpassistant.core.engine.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A form that comes back shows what the user typed next to each error: the value the engine refused
 * is never replaced (a bad port by "auto") or emptied (an address without @). Remembers the last
 * submit of each conversation, without its password (a {@link Input.FormSubmit} keeps that apart), and
 * fills a refused field's typed text into the form the engine answers with. Thread-safe.
 */
final class FormEcho {

    private record Typed(String formId, Map<String, String> values) {
    }

    private final Cache<ConversationKey, Typed> typed = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
            .maximumSize(100_000).build();

    /** The user submitted {@code f}: keep its values (never the password) for the answer. */
    void submitted(ConversationKey key, Input.FormSubmit f) {
        typed.put(key, new Typed(f.formId(), Map.copyOf(f.values())));
    }

    /** {@code replies} with each refused field of the last submitted form showing what was typed into it. */
    List<Reply> apply(ConversationKey key, List<Reply> replies) {
        Typed t = typed.getIfPresent(key);
        if (t == null) {
            return replies;
        }
        return replies.stream().map(r -> r instanceof Reply.Form f && f.id().equals(t.formId()) ? echo(f, t.values()) : r).toList();
    }

    static Reply.Form echo(Reply.Form f, Map<String, String> values) {
        List<Reply.Field> fields = f.fields().stream().map(field -> {
            String was = values.getOrDefault(field.id(), "");
            boolean refusedTyping = !field.error().isEmpty() && !was.isBlank() && !was.equals(field.value())
                    && field.type() != Reply.FieldType.SECRET && field.type() != Reply.FieldType.CHOICE;
            return refusedTyping ? new Reply.Field(field.id(), field.label(), field.type(), was, field.error(), field.required(),
                    field.options(), field.hint()) : field;
        }).toList();
        return new Reply.Form(f.id(), f.title(), f.intro(), fields, f.submitLabel());
    }
}
