package io.smtpassistant.core.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.smtpassistant.core.check.CheckSettings;
import java.util.List;

/**
 * The JSON form of support requests and check snapshots: what the store keeps in its text columns and
 * what {@code requests show --json} prints. Record components become properties; times are ISO-8601
 * strings; enums use their ids ({@code "open"}, {@code "auth"}, {@code "starttls"}) or, for
 * diagnosis codes, their names; an absent optional is {@code null}.
 *
 * <p>Reading is strict (unknown properties and trailing tokens are errors): the store only reads what
 * it wrote, so anything else is a bug worth seeing. Thread-safe.
 */
public final class SupportJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private static final TypeReference<List<TreeStep>> TREE_PATH = new TypeReference<>() {
    };

    private SupportJson() {
    }

    public static String toJson(SupportRequest request) {
        return write(request);
    }

    public static SupportRequest requestFromJson(String json) {
        return read(json, SupportRequest.class);
    }

    /** The request as a JSON tree, for callers that add rendered fields (titles, texts) before printing. */
    public static ObjectNode toTree(SupportRequest request) {
        return MAPPER.valueToTree(request);
    }

    public static String toJson(CheckSnapshot snapshot) {
        return write(snapshot);
    }

    public static CheckSnapshot snapshotFromJson(String json) {
        return read(json, CheckSnapshot.class);
    }

    static String settingsToJson(CheckSettings settings) {
        return write(settings);
    }

    static CheckSettings settingsFromJson(String json) {
        return read(json, CheckSettings.class);
    }

    static String treePathToJson(List<TreeStep> path) {
        return write(path);
    }

    static List<TreeStep> treePathFromJson(String json) {
        try {
            return MAPPER.readValue(json, TREE_PATH);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored tree path: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " in JSON: " + e.getOriginalMessage(), e);
        }
    }
}
