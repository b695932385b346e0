package io.distill.model.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a record against its project: strict JSON Schema (draft 2020-12) first, then each rule,
 * a CEL expression over {@code record} that must be true. CEL is not Turing-complete and has no
 * I/O, and every rule runs under an iteration budget, so users' rules cannot do anything but
 * compute a boolean, quickly. Compiling a definition also checks it (the schema against the
 * meta-schema and {@link SchemaRules}, the rest against {@link DefinitionRules}), which is how the
 * API refuses a broken project before any job uses it; nothing in a definition is ever fetched.
 */
public final class RecordValidator {
    /** Loop iterations one rule may take on one record, over all its nested comprehensions. */
    static final int RULE_ITERATIONS = 10_000;

    private static final CelOptions CEL_LIMITS = CelOptions.current()
            .maxExpressionCodePointSize(2_000)
            .maxParseRecursionDepth(32)
            .comprehensionMaxIterations(RULE_ITERATIONS)
            .maxRegexProgramSize(500)
            .build();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(CEL_LIMITS)
            .addVar("record", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(CEL_LIMITS)
            .addLibraries(CelExtensions.strings())
            .build();

    /** One reason a record was refused: {@code schema:<location>} or {@code rule:<name>}, and what is wrong. */
    public record Violation(String check, String message) {
        @Override
        public String toString() {
            return check + " " + message;
        }
    }

    private record CompiledRule(ProjectDefinition.Rule rule, CelRuntime.Program program) {}

    private final JsonSchema schema;
    private final List<CompiledRule> rules;

    private RecordValidator(JsonSchema schema, List<CompiledRule> rules) {
        this.schema = schema;
        this.rules = rules;
    }

    /** Compiles the definition's schema and rules; throws {@link InvalidProjectException} naming every problem. */
    public static RecordValidator compile(ProjectDefinition definition) {
        List<String> problems = new ArrayList<>();
        JsonSchema schema = compileSchema(definition, problems);
        DefinitionRules.check(definition, problems);
        List<CompiledRule> rules = new ArrayList<>();
        for (ProjectDefinition.Rule rule : definition.rules()) {
            if (rule == null || rule.name() == null || rule.name().isBlank() || rule.expression() == null) {
                problems.add("every rule needs a name and an expression");
                continue;
            }
            try {
                CelAbstractSyntaxTree ast = COMPILER.compile(rule.expression()).getAst();
                rules.add(new CompiledRule(rule, RUNTIME.createProgram(ast)));
            } catch (CelValidationException e) {
                problems.add("rule '" + rule.name() + "' does not compile: " + e.getMessage());
            } catch (CelEvaluationException e) {
                problems.add("rule '" + rule.name() + "' cannot run: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidProjectException(problems);
        }
        return new RecordValidator(schema, List.copyOf(rules));
    }

    private static JsonSchema compileSchema(ProjectDefinition definition, List<String> problems) {
        JsonNode root = definition.schema();
        if (root == null
                || !"object".equals(root.path("type").asText())
                || !root.path("properties").isObject()
                || root.path("properties").isEmpty()) {
            problems.add("schema must be a JSON Schema whose root has \"type\": \"object\" and at least one property");
            return null;
        }
        for (String field : definition.dedupeKey()) {
            if (!root.path("properties").has(field)) {
                problems.add("dedupeKey field '" + field + "' is not a property of the schema");
            }
        }
        if (!SchemaRules.check(root, problems)) {
            return null;
        }
        List<String> metaProblems = SchemaFactory.metaProblems(root).stream()
                .map(m -> "schema " + m.getMessage())
                .sorted()
                .toList();
        if (!metaProblems.isEmpty()) {
            problems.addAll(metaProblems);
            return null;
        }
        try {
            return SchemaFactory.compile(root);
        } catch (RuntimeException e) {
            problems.add("schema is not usable: " + e.getMessage());
            return null;
        }
    }

    /** Every violation, schema first (in document order), then rules; empty when the record passes. */
    public List<Violation> validate(JsonNode record) {
        List<Violation> violations = new ArrayList<>(schema.validate(record).stream()
                .sorted(Comparator.comparing(
                                (ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .map(m -> new Violation("schema:" + m.getInstanceLocation(), m.getMessage()))
                .toList());
        if (!violations.isEmpty()) {
            // rules assume the schema's shape; running them on a malformed record only adds noise
            return violations;
        }
        Map<String, Object> input = Map.of("record", CelValues.of(record));
        for (CompiledRule compiled : rules) {
            ProjectDefinition.Rule rule = compiled.rule();
            try {
                if (!Boolean.TRUE.equals(compiled.program().eval(input))) {
                    violations.add(new Violation(
                            "rule:" + rule.name(), rule.message() == null ? rule.expression() : rule.message()));
                }
            } catch (CelEvaluationException e) {
                // an exhausted iteration budget lands here too: the rule fails, the job says why
                violations.add(new Violation("rule:" + rule.name(), "could not be evaluated: " + e.getMessage()));
            }
        }
        return violations;
    }

    /** JSON values as CEL sees them: objects as maps, integers as long, null as CEL's null. */
    static final class CelValues {
        private CelValues() {}

        static Object of(JsonNode node) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return dev.cel.common.values.NullValue.NULL_VALUE;
            }
            if (node.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), of(e.getValue())));
                return map;
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>();
                node.forEach(item -> list.add(of(item)));
                return list;
            }
            if (node.isIntegralNumber()) {
                return node.longValue();
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.asText();
        }
    }
}
