package io.distill.model.input;

import io.distill.model.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What Distill accepts from callers in free-form fields (text, metadata, options, names): no NUL
 * (PostgreSQL cannot store it), no unpaired surrogate (not Unicode, not storable as UTF-8), and for
 * JSON values a bounded depth, size and number of keys — the same bounds on write as on read, so
 * whatever is stored can be served back.
 */
public final class UntrustedInput {
    /** Nesting of objects and lists in metadata and options. */
    public static final int MAX_DEPTH = 8;
    /** Metadata or options, as JSON. */
    public static final int MAX_JSON_BYTES = 16 * 1024;

    public static final int MAX_KEYS = 200;
    public static final int MAX_KEY_CHARS = 128;

    private UntrustedInput() {}

    /** Why the text cannot be taken, or null when it can. */
    public static String problemWith(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (not valid Unicode)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (not valid Unicode)";
            }
        }
        return null;
    }

    /** Why the JSON object (metadata, options) cannot be taken, or null when it can. */
    public static String problemWithJson(Map<String, Object> value) {
        if (value == null) {
            return null;
        }
        int[] keys = {0};
        String problem = walk(value, 1, keys);
        if (problem != null) {
            return problem;
        }
        int bytes = Json.write(value).getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAX_JSON_BYTES
                ? "is " + bytes + " bytes as JSON; at most " + MAX_JSON_BYTES + " are allowed"
                : null;
    }

    /** The first NUL or unpaired surrogate anywhere in a JSON tree (names and values), or null. */
    public static String problemWithTree(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return problemWith(node.textValue());
        }
        if (node.isObject()) {
            var fields = node.properties().iterator();
            while (fields.hasNext()) {
                var field = fields.next();
                String problem = problemWith(field.getKey());
                if (problem == null) {
                    problem = problemWithTree(field.getValue());
                }
                if (problem != null) {
                    return problem;
                }
            }
        } else if (node.isArray()) {
            for (com.fasterxml.jackson.databind.JsonNode item : node) {
                String problem = problemWithTree(item);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String walk(Object value, int depth, int[] keys) {
        if (value instanceof Map<?, ?> map) {
            if (depth > MAX_DEPTH) {
                return "is nested deeper than " + MAX_DEPTH + " levels";
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (++keys[0] > MAX_KEYS) {
                    return "has more than " + MAX_KEYS + " keys";
                }
                if (key.length() > MAX_KEY_CHARS) {
                    return "has a key longer than " + MAX_KEY_CHARS + " characters";
                }
                String problem = problemWith(key);
                if (problem == null) {
                    problem = walk(entry.getValue(), depth + 1, keys);
                }
                if (problem != null) {
                    return problem;
                }
            }
        } else if (value instanceof List<?> list) {
            if (depth > MAX_DEPTH) {
                return "is nested deeper than " + MAX_DEPTH + " levels";
            }
            for (Object item : list) {
                String problem = walk(item, depth + 1, keys);
                if (problem != null) {
                    return problem;
                }
            }
        } else if (value instanceof String text) {
            return problemWith(text);
        }
        return null;
    }
}
