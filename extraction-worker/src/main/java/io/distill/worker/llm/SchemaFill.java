package io.distill.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes the offline extractor's findings to a project's schema, without inventing facts: a
 * property it computed is kept, a few are derived from them (a headline or topic is the title; a
 * fingerprint is a hash of the title), a nullable property it knows nothing about is null and a
 * list is empty. Anything else stays missing, and VALIDATE names it.
 */
final class SchemaFill {
    private SchemaFill() {
    }

    static void fill(JsonNode schema, Map<String, Object> fields, Map<String, Double> confidence) {
        Map<String, Object> computed = new LinkedHashMap<>(fields);
        fields.clear();
        schema.path("properties").properties().forEach(property -> {
            String name = property.getKey();
            JsonNode type = property.getValue().path("type");
            Object value = computed.containsKey(name) ? computed.get(name) : derived(name, computed);
            if (value != null) {
                fields.put(name, value);
            } else if (allows(type, "null")) {
                fields.put(name, null);
            } else if (allows(type, "array")) {
                fields.put(name, List.of());
            }
        });
        confidence.keySet().retainAll(fields.keySet());
    }

    private static Object derived(String name, Map<String, Object> computed) {
        Object title = computed.get("title");
        return switch (name) {
            case "headline", "topic" -> title;
            case "event_fingerprint" -> title == null ? null : Json.canonicalHash(title.toString().toLowerCase(java.util.Locale.ROOT)).substring(0, 16);
            case "event_action" -> "create";
            // rules, not a model: a fixed, modest confidence
            case "confidence" -> 0.5;
            default -> null;
        };
    }

    private static boolean allows(JsonNode type, String wanted) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (t.asText().equals(wanted)) {
                    return true;
                }
            }
            return false;
        }
        return type.asText().equals(wanted);
    }
}
