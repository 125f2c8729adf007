package io.smtpassistant.core.engine;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.smtpassistant.core.check.CheckReport;
import io.smtpassistant.core.check.CheckSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The stored form of a {@link Conversation}: versioned JSON, so that a restarted instance (or another
 * one) continues where the user was. Thread-safe; one instance serves every store.
 *
 * <p>What is stored is what the engine reads after a turn: every field of the state, with one
 * reduction: {@code previousReport} is not stored, because the engine reads it only inside the turn
 * that sets it (the comparison line of a new report), so a stored conversation never carries two
 * reports. The last report is kept whole, transcript included: it is the evidence a support request
 * opened later carries (its AUTH lines are already {@code <redacted>}).
 *
 * <p>Never a secret: the state holds none ({@code Conversation} has no field that can, a {@link FormDraft}
 * masks password-like values), and {@code ConversationCodecTest} proves that no stored state of a
 * random conversation contains the password typed into it.
 *
 * <p>Versions: {@link #VERSION} is written as {@code "v"}; fields added later are ignored by older
 * readers, and a field missing in an older state reads as its start value ({@code tally}); an unknown version or unreadable bytes are a {@link Decoded.Unreadable} value, never an
 * exception, and the caller treats the conversation as absent.
 */
public final class ConversationCodec {

    /** The schema version written now. */
    public static final int VERSION = 1;

    private final ObjectMapper json;

    public ConversationCodec() {
        JsonMapper.Builder b = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addMixIn(Awaiting.class, AwaitingTag.class);
        ObjectMapper m = b.build();
        for (Class<?> step : Awaiting.class.getPermittedSubclasses()) {
            m.registerSubtypes(new NamedType(step, step.getSimpleName()));
        }
        this.json = m;
    }

    /** Each step is stored with its record's name as {@code "step"}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
    private interface AwaitingTag {
    }

    /** What a stored conversation reads back as. */
    public sealed interface Decoded {
        /** The conversation as it was saved (without {@code previousReport}). */
        record Ok(Conversation conversation) implements Decoded {
        }

        /** Bytes of an unknown version or not a conversation: the conversation starts afresh. */
        record Unreadable(String reason) implements Decoded {
        }
    }

    /** The stored shape; one component per field of {@link Conversation}, in its order. */
    record Stored(int v, ConversationKey key, String locale, String displayName, Awaiting awaiting, String entry,
                  String checkNode, List<PathStep> path, CheckSettings settings, String providerId,
                  Conversation.Shared shared, int invalidAnswers, int runId, int checkRuns, int failedRuns,
                  Optional<CheckReport> lastReport, String requestId, List<Awaiting> back, Instant updatedAt, Tally tally) {
    }

    public byte[] encode(Conversation c) {
        Stored s = new Stored(VERSION, c.key(), c.locale().toLanguageTag(), c.displayName(), c.awaiting(), c.entry(),
                c.checkNode(), c.path(), c.settings(), c.providerId(), c.shared(), c.invalidAnswers(), c.runId(),
                c.checkRuns(), c.failedRuns(), c.lastReport(), c.requestId(), c.back(), c.updatedAt(), c.tally());
        try {
            return json.writeValueAsBytes(s);
        } catch (JsonProcessingException e) {
            // every type in the state is a record, list or enum Jackson writes: this is a bug, not an input
            throw new IllegalStateException("conversation state of " + c.key() + " cannot be written", e);
        }
    }

    public Decoded decode(byte[] bytes) {
        try {
            JsonNode tree = json.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                return new Decoded.Unreadable("not a JSON object");
            }
            int v = tree.path("v").asInt(-1);
            if (v != VERSION) {
                return new Decoded.Unreadable("stored conversation has schema version " + tree.path("v")
                        + "; this version reads " + VERSION);
            }
            Stored s = json.treeToValue(tree, Stored.class);
            return new Decoded.Ok(new Conversation(s.key(), Locale.forLanguageTag(s.locale()), s.displayName(), s.awaiting(),
                    s.entry(), s.checkNode(), s.path(), s.settings(), s.providerId(), s.shared(), s.invalidAnswers(),
                    s.runId(), s.checkRuns(), s.failedRuns(), s.lastReport() == null ? Optional.empty() : s.lastReport(),
                    Optional.empty(), s.requestId(), s.back(), s.updatedAt(),
                    s.tally() == null ? Tally.start(s.updatedAt() == null ? Instant.EPOCH : s.updatedAt()) : s.tally()));
        } catch (IOException | RuntimeException e) {
            // the message names the field, never the value (Jackson quotes at most a token of the input)
            return new Decoded.Unreadable(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
