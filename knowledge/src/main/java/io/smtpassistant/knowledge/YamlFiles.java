package io.smtpassistant.knowledge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Strict YAML reading: unknown properties, missing required properties, duplicate keys and trailing
 * tokens all fail, and the failure names the file and the JSON path.
 *
 * <p>Why not {@code FAIL_ON_MISSING_CREATOR_PROPERTIES} / {@code FAIL_ON_NULL_CREATOR_PROPERTIES}:
 * they make every creator property mandatory, also the optional ones (a rule's {@code provider}).
 * Instead each record marks its mandatory properties {@code required = true} (Jackson then fails on
 * a missing one) and its compact constructor refuses an explicit null or empty value.
 */
final class YamlFiles {

    static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern MISSING = Pattern.compile("^Missing required creator property '([^']+)'");

    private YamlFiles() {
    }

    static <T> T read(KnowledgeSource source, String file, Class<T> type) {
        String name = source.describe(file);
        try (InputStream in = source.open(file)) {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new KnowledgeException(name, "", "the file is empty", "restore the file from the release");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new KnowledgeException(name, "", "the file is missing", "restore it from the release", e);
        } catch (JsonMappingException e) {
            String path = pathOf(e);
            if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
                path = path + " (line " + e.getLocation().getLineNr() + ")";
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String problem = root instanceof IllegalArgumentException || root instanceof KnowledgeException
                    ? root.getMessage() : e.getOriginalMessage();
            String fix = "correct the value at that place; see docs/recipes.md for the expected form";
            Matcher missing = MISSING.matcher(problem == null ? "" : problem);
            if (missing.find()) {
                problem = "the required property '" + missing.group(1) + "' is missing";
                fix = "add " + missing.group(1) + ": at that place; see docs/recipes.md for the expected form";
            }
            throw new KnowledgeException(name, path, oneLine(problem), fix, e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new KnowledgeException(name, where, "not valid YAML: " + oneLine(e.getOriginalMessage()),
                    "check indentation and quoting near that line", e);
        } catch (IOException e) {
            throw new KnowledgeException(name, "", "cannot be read: " + e.getMessage(), "check the file's permissions", e);
        }
    }

    /** A JSON path such as {@code $.rules[3].diagnosis} from Jackson's reference chain. */
    static String pathOf(JsonMappingException e) {
        StringBuilder b = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String oneLine(@Nullable String s) {
        if (s == null) {
            return "invalid value";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
