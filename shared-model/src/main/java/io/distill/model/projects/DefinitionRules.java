package io.distill.model.projects;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parts of a definition that are not the schema or the rules: model settings in range, a
 * prompt of bounded size, a typed record kind whose table gets the fields it needs, a duplicate
 * key that names fields. Each problem is one sentence for the person who wrote the definition.
 */
final class DefinitionRules {
    static final int MAX_DEFINITION_BYTES = 256 * 1024;
    static final int MAX_TEXT_CHARS = 20_000;
    static final int MAX_HINTS = 200;
    static final int MAX_EXAMPLES = 10;
    static final int MAX_RULES = 50;
    static final int MAX_DEDUPE_FIELDS = 10;
    static final int MAX_OUTPUT_TOKENS = 128_000;
    static final int MAX_TOKEN_CAP = 10_000_000;
    static final int MAX_ALLOWED_MODELS = 20;
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,99}");

    private DefinitionRules() {}

    /** A model name as providers spell them: letters, digits and {@code . _ : / @ -}, at most 100. */
    static boolean isModelName(String name) {
        return name != null && MODEL_NAME.matcher(name).matches();
    }

    static void check(ProjectDefinition definition, List<String> problems) {
        int bytes = Json.write(definition).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DEFINITION_BYTES) {
            problems.add("the definition is " + bytes + " bytes; at most " + MAX_DEFINITION_BYTES + " are allowed");
        }
        checkModel(definition.model(), problems);
        checkPrompt(definition, problems);
        if (definition.rules().size() > MAX_RULES) {
            problems.add("at most " + MAX_RULES + " rules are allowed");
        }
        if (definition.dedupeKey().size() > MAX_DEDUPE_FIELDS) {
            problems.add("dedupeKey may name at most " + MAX_DEDUPE_FIELDS + " fields");
        }
        checkRecordKind(definition, problems);
    }

    private static void checkModel(ProjectDefinition.ModelSettings model, List<String> problems) {
        if (model.name() != null && !isModelName(model.name())) {
            problems.add(
                    "model.name must be a model name such as gpt-4o-mini (letters, digits and . _ : / @ -, at most 100)");
        }
        if (model.allowed() != null
                && (model.allowed().size() > MAX_ALLOWED_MODELS
                        || !model.allowed().stream().allMatch(DefinitionRules::isModelName))) {
            problems.add("model.allowed must be at most " + MAX_ALLOWED_MODELS + " model names such as gpt-4o-mini");
        }
        if (model.temperature() != null
                && (model.temperature().isNaN() || model.temperature() < 0 || model.temperature() > 2)) {
            problems.add("model.temperature must be between 0 and 2");
        }
        if (model.maxTokens() != null && (model.maxTokens() < 1 || model.maxTokens() > MAX_OUTPUT_TOKENS)) {
            problems.add("model.maxTokens must be between 1 and " + MAX_OUTPUT_TOKENS);
        }
        if (model.tokenCap() != null && (model.tokenCap() < 1 || model.tokenCap() > MAX_TOKEN_CAP)) {
            problems.add("model.tokenCap must be between 1 and " + MAX_TOKEN_CAP);
        } else if (model.tokenCap() != null && model.maxTokens() != null && model.tokenCap() < model.maxTokens()) {
            problems.add("model.tokenCap (" + model.tokenCap() + ") must be at least model.maxTokens ("
                    + model.maxTokens() + ")");
        }
    }

    private static void checkPrompt(ProjectDefinition definition, List<String> problems) {
        ProjectDefinition.Prompt prompt = definition.prompt();
        if (length(prompt.system()) > MAX_TEXT_CHARS || length(definition.description()) > MAX_TEXT_CHARS) {
            problems.add("description and prompt.system are limited to " + MAX_TEXT_CHARS + " characters each");
        }
        if (prompt.fieldHints().size() > MAX_HINTS) {
            problems.add("prompt.fieldHints may have at most " + MAX_HINTS + " entries");
        }
        for (Map.Entry<String, String> hint : prompt.fieldHints().entrySet()) {
            if (hint.getValue() == null || length(hint.getValue()) > 2_000) {
                problems.add("prompt.fieldHints." + hint.getKey() + " must be a text of at most 2000 characters");
            }
        }
        if (prompt.examples().size() > MAX_EXAMPLES) {
            problems.add("prompt.examples may have at most " + MAX_EXAMPLES + " entries");
        }
        for (ProjectDefinition.Example example : prompt.examples()) {
            if (example == null
                    || example.input() == null
                    || example.output() == null
                    || length(example.input()) > MAX_TEXT_CHARS) {
                problems.add("every prompt example needs an input of at most " + MAX_TEXT_CHARS
                        + " characters and an output record");
                break;
            }
        }
    }

    /** A typed table reads fields by name: the schema must have them, and a deduplicated kind needs its key. */
    private static void checkRecordKind(ProjectDefinition definition, List<String> problems) {
        RecordKind kind = definition.record();
        if (kind == null) {
            return;
        }
        JsonNode properties =
                definition.schema() == null ? null : definition.schema().path("properties");
        for (String field : kind.requiredFields()) {
            if (properties == null || !properties.has(field)) {
                problems.add("record " + kind.code() + " needs the schema property '" + field + "'");
            }
        }
        if (kind.deduplicated() && definition.dedupeKey().isEmpty()) {
            problems.add("record " + kind.code() + " needs a dedupeKey: the fields that make two records the same");
        }
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
