package io.distill.worker.formats.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HEADER section of an ISO 10303-21 file: what the file says about itself. */
public final class StepHeader {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** Takes FILE_DESCRIPTION, FILE_NAME and FILE_SCHEMA; ignores the rest. */
    public void accept(StepEntity entity) {
        StepEntity.Part part = entity.first();
        switch (part.type()) {
            case "FILE_DESCRIPTION" -> fields.put("description", strings(part.parameter(0)));
            case "FILE_NAME" -> {
                fields.put("name", nullToEmpty(part.string(0)));
                fields.put("timeStamp", nullToEmpty(part.string(1)));
                fields.put("author", strings(part.parameter(2)));
                fields.put("organization", strings(part.parameter(3)));
                fields.put("preprocessor", nullToEmpty(part.string(4)));
                fields.put("originatingSystem", nullToEmpty(part.string(5)));
            }
            case "FILE_SCHEMA" -> fields.put("schema", strings(part.parameter(0)));
            default -> {}
        }
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public String schema() {
        Object schema = fields.get("schema");
        return schema instanceof List<?> list && !list.isEmpty() ? list.get(0).toString() : "";
    }

    public String describe() {
        return "Name: " + fields.getOrDefault("name", "") + "\nDescription: " + join(fields.get("description"))
                + "\nAuthor: " + join(fields.get("author")) + "\nOrganization: " + join(fields.get("organization"))
                + "\nSchema: " + schema() + "\nOriginating system: " + fields.getOrDefault("originatingSystem", "");
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().filter(v -> v instanceof String s && !s.isBlank()).forEach(v -> out.add((String) v));
        } else if (value instanceof String s && !s.isBlank()) {
            out.add(s);
        }
        return out;
    }

    private static String join(Object value) {
        return value instanceof List<?> list
                ? String.join(", ", list.stream().map(Object::toString).toList())
                : "";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
