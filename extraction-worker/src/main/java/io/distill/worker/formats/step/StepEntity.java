package io.distill.worker.formats.step;

import io.distill.worker.formats.InvalidDocumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One statement of a STEP file: {@code #12=IFCWALL(…)} (id 12), a complex instance
 * {@code #7=(LENGTH_UNIT()NAMED_UNIT(*)SI_UNIT(.MILLI.,.METRE.))} (several parts), a header entity
 * {@code FILE_NAME(…)} (id 0) or a keyword such as {@code DATA} (no parameters).
 */
public record StepEntity(long id, List<Part> parts) {

    public record Part(String type, List<Object> parameters) {
        public Object parameter(int index) {
            return index < parameters.size() ? parameters.get(index) : null;
        }

        public String string(int index) {
            Object value = parameter(index);
            if (value instanceof Typed typed) {
                value = typed.value();
            }
            return value instanceof String s ? s : null;
        }
    }

    /** {@code #123}: a reference to another instance. */
    public record Ref(long id) {}

    /** {@code .METRE.}: an enumeration value. */
    public record Enum(String name) {}

    /** {@code IFCLABEL('x')}: a typed value. */
    public record Typed(String type, Object value) {}

    /** The ids referenced by a parameter: one reference or a list of them. */
    public static List<Long> refs(Object value) {
        List<Long> ids = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> {
                if (v instanceof Ref ref) {
                    ids.add(ref.id());
                }
            });
        } else if (value instanceof Ref ref) {
            ids.add(ref.id());
        }
        return ids;
    }

    public String type() {
        return parts.isEmpty() ? "" : parts.get(0).type();
    }

    public Part first() {
        return parts.get(0);
    }

    public Part part(String type) {
        return parts.stream().filter(p -> p.type().equals(type)).findFirst().orElse(null);
    }

    static StepEntity parse(String text, int maxNesting) {
        int[] position = {0};
        long id = 0;
        if (text.startsWith("#")) {
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new InvalidDocumentException(
                        "STEP instance without '=' near '" + text.substring(0, Math.min(40, text.length())) + "'");
            }
            try {
                id = Long.parseLong(text.substring(1, eq).strip());
            } catch (NumberFormatException e) {
                throw new InvalidDocumentException("bad STEP instance id '" + text.substring(0, eq) + "'");
            }
            position[0] = eq + 1;
        }
        StepReader.skipSpaces(text, position);
        List<Part> parts = new ArrayList<>();
        if (position[0] < text.length() && text.charAt(position[0]) == '(') {
            position[0]++;
            StepReader.skipSpaces(text, position);
            while (position[0] < text.length() && text.charAt(position[0]) != ')') {
                parts.add(part(text, position, maxNesting));
                StepReader.skipSpaces(text, position);
            }
        } else {
            parts.add(part(text, position, maxNesting));
        }
        return new StepEntity(id, parts);
    }

    private static Part part(String text, int[] position, int maxNesting) {
        String type = StepReader.token(text, position).toUpperCase(Locale.ROOT);
        StepReader.skipSpaces(text, position);
        if (position[0] >= text.length() || text.charAt(position[0]) != '(') {
            return new Part(type, List.of());
        }
        return new Part(type, StepReader.parameters(text, position, 0, maxNesting));
    }
}
