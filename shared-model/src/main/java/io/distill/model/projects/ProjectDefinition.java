package io.distill.model.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What to extract and how: the JSON Schema of the record, the prompt, the model settings, the
 * rules a record must pass, the fields that make its duplicate key, and which typed table (if any)
 * receives it. One version of a project; a job names the version it ran with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectDefinition(
        String description,
        RecordKind record,
        ObjectNode schema,
        Prompt prompt,
        ModelSettings model,
        List<Rule> rules,
        List<String> dedupeKey) {

    public ProjectDefinition {
        prompt = prompt == null ? new Prompt(null, Map.of(), List.of()) : prompt;
        model = model == null ? ModelSettings.DEFAULT : model;
        rules = rules == null ? List.of() : List.copyOf(rules);
        dedupeKey = dedupeKey == null ? List.of() : List.copyOf(dedupeKey);
    }

    /** System instructions, a hint per field, and worked examples (input text and the expected record). */
    public record Prompt(String system, Map<String, String> fieldHints, List<Example> examples) {
        public Prompt {
            fieldHints = fieldHints == null ? Map.of() : Map.copyOf(fieldHints);
            examples = examples == null ? List.of() : List.copyOf(examples);
        }
    }

    public record Example(String input, JsonNode output) {}

    /**
     * @param tokenCap the most tokens (prompt + completion, over every call) one job may use
     */
    /**
     * The model a project's jobs use ({@code name}; null: the worker's default) and the others a job
     * may choose with its {@code model} option ({@code allowed}).
     */
    public record ModelSettings(
            String name, Double temperature, Integer maxTokens, Integer tokenCap, List<String> allowed) {
        public static final ModelSettings DEFAULT = new ModelSettings(null, 0.0, 1500, 60_000, null);

        /** A model name as providers spell them (the rule is {@link DefinitionRules#isModelName}). */
        public static boolean isModelName(String model) {
            return DefinitionRules.isModelName(model);
        }

        /** Whether a job may ask for {@code model}: the project's own model or one of those it allows. */
        public boolean allows(String model, String defaultModel) {
            return model.equals(name == null ? defaultModel : name) || (allowed != null && allowed.contains(model));
        }
    }

    /** A rule in CEL over {@code record}; {@code message} is what a failure says. */
    public record Rule(String name, String expression, String message) {}
}
