package io.distill.worker.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.Json;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Shapes the offline extractor's findings to a project's schema with rules, not a model: a
 * property it computed is kept; a property of the same name in the job's metadata (what the
 * caller knows: {@code broker}, {@code posted_at}…) or the document's title block comes next; the
 * built-in templates' remaining fields are derived by plain heuristics (a headline is the title,
 * a sentiment from signal words, report type from key words, key points from sentences), each
 * with a modest confidence; a nullable property nothing speaks for is null and a list is empty.
 * Anything else stays missing, and VALIDATE names it.
 */
final class SchemaFill {
    /** Rules, not a model: what heuristics get as confidence. */
    static final double HEURISTIC = 0.5;

    /** Where values may come from besides the findings: the text, the document's and the job's metadata. */
    record Clues(String text, Map<String, Object> documentMetadata, Map<String, Object> jobMetadata) {}

    private SchemaFill() {}

    static void fill(JsonNode schema, Map<String, Object> fields, Map<String, Double> confidence, Clues clues) {
        Map<String, Object> computed = new LinkedHashMap<>(fields);
        fields.clear();
        schema.path("properties").properties().forEach(property -> {
            String name = property.getKey();
            JsonNode type = property.getValue().path("type");
            Object value = computed.containsKey(name) ? computed.get(name) : given(name, clues);
            if (value == null) {
                value = derived(name, computed, clues);
                if (value != null) {
                    confidence.put(name, HEURISTIC);
                }
            }
            if (value != null && fits(property.getValue(), value)) {
                fields.put(name, value);
            } else if (allows(type, "null")) {
                fields.put(name, null);
            } else if (allows(type, "array")) {
                fields.put(name, List.of());
            }
        });
        confidence.keySet().retainAll(fields.keySet());
    }

    /** A value the caller or the document states under that name (metadata key, title-block field). */
    private static Object given(String name, Clues clues) {
        Object stated = clues.jobMetadata().get(name);
        if (stated instanceof String || stated instanceof Number || stated instanceof Boolean) {
            return stated;
        }
        if (clues.documentMetadata().get("titleBlock") instanceof Map<?, ?> titleBlock) {
            Object field = titleBlock.get(camel(name.equals("organisation") ? "organization" : name));
            if (field != null) {
                return field.toString();
            }
        }
        return null;
    }

    private static Object derived(String name, Map<String, Object> computed, Clues clues) {
        String title = String.valueOf(computed.getOrDefault("title", ""));
        String text = clues.text();
        return switch (name) {
            case "headline", "topic" -> title;
            case "event_fingerprint" ->
                Json.canonicalHash(title.toLowerCase(Locale.ROOT)).substring(0, 16);
            case "event_action" -> "create";
            case "event_time", "published_at" ->
                firstNonNull(instant(OfflineFindings.firstDateTime(text)), postedAt(clues.jobMetadata()));
            case "sentiment" -> OfflineFindings.sentiment(text);
            case "is_breaking" -> breaking(title);
            case "breaking_window" -> breaking(title) ? "PT2H" : null;
            case "impact_score" -> impact(computed, text, title);
            case "confidence" -> HEURISTIC;
            case "company_raw" -> company(text, 0);
            case "company_canonical" -> company(text, 1);
            case "report_type" -> reportType(text);
            case "key_points" -> keyPoints(text);
            default -> null;
        };
    }

    private static boolean breaking(String title) {
        return title.toLowerCase(Locale.ROOT).contains("breaking");
    }

    /** 0–10: one point per amount (at most four), three for breaking news, one per net signal word (at most three). */
    private static double impact(Map<String, Object> computed, String text, String title) {
        int amounts = computed.get("amounts") instanceof List<?> list ? Math.min(4, list.size()) : 0;
        String sentiment = OfflineFindings.sentiment(text);
        int tone = sentiment.equals("neutral") ? 0 : sentiment.equals("mixed") ? 1 : 3;
        return Math.min(10, amounts + (breaking(title) ? 3 : 0) + tone);
    }

    private static String company(String text, int part) {
        String[] company = OfflineFindings.company(text);
        return company == null ? null : company[part];
    }

    private static String reportType(String text) {
        String lower = text.length() > 20_000
                ? text.substring(0, 20_000).toLowerCase(Locale.ROOT)
                : text.toLowerCase(Locale.ROOT);
        if (lower.contains("downgrade")) {
            return "downgrade";
        }
        if (lower.contains("upgrade")) {
            return "upgrade";
        }
        if (lower.contains("initiat")) {
            return "initiation";
        }
        if (lower.contains("price target") || lower.contains("target price")) {
            return "target_change";
        }
        if (lower.contains("preview")) {
            return "earnings_preview";
        }
        return lower.contains("results") || lower.contains("earnings") ? "earnings_review" : "other";
    }

    private static List<Map<String, Object>> keyPoints(String text) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (String sentence : OfflineFindings.sentences(text, 5)) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("point_order", points.size() + 1);
            point.put("point_text", sentence);
            point.put("point_type", "other");
            point.put("confidence", HEURISTIC);
            points.add(point);
        }
        return points;
    }

    /** The caller's posting time, when it is an ISO 8601 date-time with an offset. */
    private static String postedAt(Map<String, Object> metadata) {
        for (String key : List.of("posted_at", "postedAt", "published_at", "date")) {
            String instant = metadata.get(key) instanceof String value ? instant(value) : null;
            if (instant != null) {
                return instant;
            }
        }
        return null;
    }

    /** An ISO 8601 date-time with offset in the RFC 3339 form rules can parse (seconds always written), or null. */
    private static String instant(String value) {
        try {
            return value == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(value));
        } catch (DateTimeParseException notAnInstant) {
            return null;
        }
    }

    /** Whether a value has the JSON type the property asks for (an enum is checked by VALIDATE). */
    private static boolean fits(JsonNode property, Object value) {
        JsonNode type = property.path("type");
        if (type.isMissingNode()) {
            return true;
        }
        if (value instanceof String) {
            return allows(type, "string");
        }
        if (value instanceof Boolean) {
            return allows(type, "boolean");
        }
        if (value instanceof Integer || value instanceof Long) {
            return allows(type, "integer") || allows(type, "number");
        }
        if (value instanceof Number) {
            return allows(type, "number");
        }
        if (value instanceof List<?>) {
            return allows(type, "array");
        }
        return allows(type, "object");
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

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
