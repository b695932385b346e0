package io.distill.model.projects;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Distill asks of a project's schema beyond being valid JSON Schema: bounded size and depth;
 * only local references ({@code #/…}), so nothing is ever fetched; no reference cycle that stays on
 * the same value (those recurse forever, whatever the record); and the subset that OpenAI's strict
 * structured output accepts (every property required — optional ones are made nullable instead —
 * and {@code additionalProperties: false} on every object), so a project that passes here is
 * never refused by the provider for every job later.
 */
final class SchemaRules {
    static final int MAX_NODES = 5_000;
    static final int MAX_DEPTH = 32;
    /** Structured output's own limits: nesting of objects, properties in all, values in one enum. */
    static final int MAX_OBJECT_NESTING = 10;

    static final int MAX_PROPERTIES = 5_000;
    static final int MAX_ENUM_VALUES = 1_000;

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    /** Keywords whose value is one subschema / a map of subschemas / a list of subschemas. */
    private static final Set<String> SCHEMA = Set.of(
            "items",
            "additionalProperties",
            "contains",
            "not",
            "if",
            "then",
            "else",
            "propertyNames",
            "unevaluatedItems",
            "unevaluatedProperties",
            "additionalItems",
            "contentSchema");

    private static final Set<String> SCHEMA_MAP =
            Set.of("properties", "patternProperties", "$defs", "definitions", "dependentSchemas");
    private static final Set<String> SCHEMA_LIST = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    /** Applied to the value itself, not to a part of it: a cycle through these never ends. */
    private static final Set<String> SAME_VALUE =
            Set.of("not", "if", "then", "else", "allOf", "anyOf", "oneOf", "dependentSchemas");

    private static final Set<String> NOT_IN_STRICT_OUTPUT = Set.of(
            "allOf",
            "not",
            "if",
            "then",
            "else",
            "dependentSchemas",
            "dependentRequired",
            "patternProperties",
            "propertyNames",
            "unevaluatedProperties",
            "oneOf");
    private static final Set<String> REMOTE =
            Set.of("$id", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor");

    private final JsonNode root;
    private final List<String> problems;
    /** Every subschema by its JSON pointer. */
    private final Map<String, JsonNode> nodes = new LinkedHashMap<>();
    /** Subschema pointer → the pointers of subschemas applied to the same value (refs included). */
    private final Map<String, List<String>> sameValue = new HashMap<>();

    private int properties;

    private SchemaRules(JsonNode root, List<String> problems) {
        this.root = root;
        this.problems = problems;
    }

    /** Adds a sentence per problem found; returns whether the schema may be handed to the validator. */
    static boolean check(JsonNode root, List<String> problems) {
        SchemaRules rules = new SchemaRules(root, problems);
        int before = problems.size();
        if (!rules.walk(root, "", 0)) {
            return false;
        }
        rules.checkReferences();
        rules.checkCycles();
        rules.checkStrictOutput(root, "", 0);
        return problems.size() == before;
    }

    /** Collects the subschemas; false (with a problem) once the schema is too big or too deep to look at further. */
    private boolean walk(JsonNode schema, String pointer, int depth) {
        if (nodes.size() >= MAX_NODES) {
            problems.add("schema has more than " + MAX_NODES + " subschemas");
            return false;
        }
        if (depth > MAX_DEPTH) {
            problems.add("schema is nested deeper than " + MAX_DEPTH + " levels at " + show(pointer));
            return false;
        }
        nodes.put(pointer, schema);
        List<String> applied = new ArrayList<>();
        sameValue.put(pointer, applied);
        if (!schema.isObject()) {
            return true;
        }
        for (String keyword : REMOTE) {
            if (schema.has(keyword)) {
                problems.add(keyword + " is not allowed (at " + show(pointer)
                        + "): a project schema is self-contained, " + "with local references \"#/$defs/…\" only");
            }
        }
        JsonNode declared = schema.get("$schema");
        if (declared != null && !(pointer.isEmpty() && DRAFT_2020_12.equals(declared.asText()))) {
            problems.add("$schema may only be \"" + DRAFT_2020_12 + "\", at the root");
        }
        var fields = schema.properties().iterator();
        while (fields.hasNext()) {
            var field = fields.next();
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            String at = pointer + "/" + escape(keyword);
            if (SCHEMA.contains(keyword) && (value.isObject() || value.isBoolean())) {
                if (SAME_VALUE.contains(keyword)) {
                    applied.add(at);
                }
                if (!walk(value, at, depth + 1)) {
                    return false;
                }
            } else if (SCHEMA_MAP.contains(keyword) && value.isObject()) {
                var members = value.properties().iterator();
                while (members.hasNext()) {
                    var member = members.next();
                    String memberAt = at + "/" + escape(member.getKey());
                    if (SAME_VALUE.contains(keyword)) {
                        applied.add(memberAt);
                    }
                    if (!walk(member.getValue(), memberAt, depth + 1)) {
                        return false;
                    }
                }
            } else if (SCHEMA_LIST.contains(keyword) && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (SAME_VALUE.contains(keyword)) {
                        applied.add(at + "/" + i);
                    }
                    if (!walk(value.get(i), at + "/" + i, depth + 1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Every $ref is a JSON pointer into this schema that points at a subschema. */
    private void checkReferences() {
        for (Map.Entry<String, JsonNode> node : nodes.entrySet()) {
            JsonNode ref = node.getValue().get("$ref");
            if (ref == null) {
                continue;
            }
            String target = target(ref.asText());
            if (target == null) {
                problems.add("$ref \"" + ref.asText() + "\" (at " + show(node.getKey())
                        + ") must be a local reference such as \"#/$defs/name\"");
            } else if (!nodes.containsKey(target)) {
                problems.add("$ref \"" + ref.asText() + "\" (at " + show(node.getKey())
                        + ") does not point at a subschema of this schema");
            } else {
                sameValue.get(node.getKey()).add(target);
            }
        }
    }

    /** A cycle of references that never moves into a part of the value would recurse forever. */
    private void checkCycles() {
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        for (String start : nodes.keySet()) {
            String cycle = cycleFrom(start, done, onPath);
            if (cycle != null) {
                problems.add("$ref cycle at " + show(cycle)
                        + ": the schema refers back to itself without descending into the record,"
                        + " so validating any record would never end");
                return;
            }
        }
    }

    private String cycleFrom(String node, Set<String> done, Set<String> onPath) {
        if (done.contains(node)) {
            return null;
        }
        if (!onPath.add(node)) {
            return node;
        }
        for (String next : sameValue.getOrDefault(node, List.of())) {
            String cycle = cycleFrom(next, done, onPath);
            if (cycle != null) {
                return cycle;
            }
        }
        onPath.remove(node);
        done.add(node);
        return null;
    }

    /** OpenAI strict structured output: required properties everywhere, closed objects, bounded size. */
    private void checkStrictOutput(JsonNode schema, String pointer, int objectNesting) {
        if (!schema.isObject()) {
            return;
        }
        String at = show(pointer);
        for (String keyword : NOT_IN_STRICT_OUTPUT) {
            if (schema.has(keyword)) {
                problems.add(keyword + " (at " + at + ") is not supported by strict structured output");
            }
        }
        if (schema.path("enum").size() > MAX_ENUM_VALUES) {
            problems.add("enum at " + at + " has more than " + MAX_ENUM_VALUES + " values");
        }
        JsonNode props = schema.get("properties");
        if (props != null && props.isObject()) {
            if (objectNesting + 1 > MAX_OBJECT_NESTING) {
                problems.add("objects are nested deeper than " + MAX_OBJECT_NESTING + " levels at " + at);
            }
            properties += props.size();
            if (!schema.path("additionalProperties").isBoolean()
                    || schema.path("additionalProperties").asBoolean()) {
                problems.add(
                        "the object at " + at + " needs \"additionalProperties\": false (strict structured output)");
            }
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            props.fieldNames().forEachRemaining(name -> {
                if (!required.contains(name)) {
                    problems.add("property '" + name + "' (at " + at
                            + ") is optional; strict structured output needs every property in"
                            + " \"required\": make it nullable instead, e.g. \"type\": [\"string\", \"null\"]");
                }
            });
            props.properties()
                    .forEach(p -> checkStrictOutput(
                            p.getValue(), pointer + "/properties/" + escape(p.getKey()), objectNesting + 1));
        }
        for (String keyword : List.of("items", "additionalProperties")) {
            if (schema.path(keyword).isObject()) {
                checkStrictOutput(schema.get(keyword), pointer + "/" + keyword, objectNesting);
            }
        }
        for (String keyword : List.of("anyOf", "prefixItems")) {
            JsonNode list = schema.path(keyword);
            for (int i = 0; i < list.size(); i++) {
                checkStrictOutput(list.get(i), pointer + "/" + keyword + "/" + i, objectNesting);
            }
        }
        schema.path("$defs")
                .properties()
                .forEach(d -> checkStrictOutput(d.getValue(), pointer + "/$defs/" + escape(d.getKey()), objectNesting));
        if (pointer.isEmpty() && properties > MAX_PROPERTIES) {
            problems.add(
                    "the schema has " + properties + " properties; strict structured output allows " + MAX_PROPERTIES);
        }
    }

    /** The pointer a local reference names, or null when it is not a local JSON-pointer reference. */
    private static String target(String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        // percent-decoding of a URI fragment; a plus sign is a plus sign here
        String fragment = URLDecoder.decode(ref.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!fragment.isEmpty() && !fragment.startsWith("/")) {
            return null; // a named anchor: not supported, to keep one way of referring
        }
        try {
            return JsonPointer.compile(fragment).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String show(String pointer) {
        return "#" + pointer;
    }
}
