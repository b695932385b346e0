package io.distill.worker.formats.ifc;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import io.distill.worker.formats.step.StepEntity;
import io.distill.worker.formats.step.StepHeader;
import io.distill.worker.formats.step.StepReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IFC building models, streamed: header, the project → site → building → storey hierarchy,
 * elements per type and per storey, and property sets with their single values. Only small
 * indexes are kept (the spatial structure, bounded property maps), never the model.
 */
@ApplicationScoped
public class IfcExtractor implements FormatExtractor {
    private static final Set<String> SPATIAL = Set.of("IFCPROJECT", "IFCSITE", "IFCBUILDING", "IFCBUILDINGSTOREY");
    private static final int MAX_PROPERTIES = 20_000;
    private static final int MAX_PROPERTY_SETS = 2_000;

    @Override
    public Set<String> formats() {
        return Set.of("ifc");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        StepHeader header = new StepHeader();
        Model model = new Model();
        try (StepReader reader = StepReader.open(source, limits)) {
            StepEntity entity;
            while ((entity = reader.next()) != null) {
                if (entity.id() == 0) {
                    header.accept(entity);
                } else {
                    model.accept(entity);
                }
            }
        }
        return model.toDocument(header, limits.maxTextChars());
    }

    /** What one pass keeps of the model. */
    private static final class Model {
        final Map<Long, String[]> spatial = new LinkedHashMap<>(); // id → type, name, elevation
        final Map<Long, List<Long>> aggregates = new HashMap<>();
        final Map<Long, Integer> elementsPerStructure = new HashMap<>();
        final Map<String, Integer> elements = new TreeMap<>();
        /** Products without placement or shape, counted only if the spatial structure holds them. */
        final Map<Long, String> unplaced = new HashMap<>();

        final java.util.Set<Long> held = new java.util.HashSet<>();
        final Map<Long, String> properties = new HashMap<>();
        final Map<String, List<Long>> propertySets = new LinkedHashMap<>();

        void accept(StepEntity entity) {
            String type = entity.type();
            StepEntity.Part p = entity.first();
            if (isProduct(type, p)) {
                if (p.parameter(5) != null || p.parameter(6) != null) {
                    elements.merge(type, 1, Integer::sum);
                } else {
                    unplaced.put(entity.id(), type);
                }
            }
            if (SPATIAL.contains(type)) {
                Object elevation = type.equals("IFCBUILDINGSTOREY") ? p.parameter(9) : null;
                spatial.put(entity.id(), new String[] {type, nameOf(p), elevation == null ? "" : format(elevation)});
            } else if (type.equals("IFCRELAGGREGATES")) {
                refOf(p.parameter(4))
                        .ifPresent(parent -> aggregates
                                .computeIfAbsent(parent, k -> new ArrayList<>())
                                .addAll(StepEntity.refs(p.parameter(5))));
                held.addAll(StepEntity.refs(p.parameter(5)));
            } else if (type.equals("IFCRELCONTAINEDINSPATIALSTRUCTURE")) {
                held.addAll(StepEntity.refs(p.parameter(4)));
                refOf(p.parameter(5))
                        .ifPresent(structure -> elementsPerStructure.merge(
                                structure, StepEntity.refs(p.parameter(4)).size(), Integer::sum));
            } else if (type.equals("IFCPROPERTYSINGLEVALUE") && properties.size() < MAX_PROPERTIES) {
                properties.put(entity.id(), nameOf0(p) + "=" + format(p.parameter(2)));
            } else if (type.equals("IFCPROPERTYSET") && propertySets.size() < MAX_PROPERTY_SETS) {
                propertySets.computeIfAbsent(nameOf(p), k -> new ArrayList<>()).addAll(StepEntity.refs(p.parameter(4)));
            }
        }

        DocumentModel toDocument(StepHeader header, int maxChars) {
            if (!header.schema().toUpperCase().startsWith("IFC")) {
                throw new io.distill.worker.formats.InvalidDocumentException(
                        "the file's schema is not IFC: " + header.schema());
            }
            TextBuilder text = new TextBuilder(maxChars);
            text.section(1, "header", header.describe());
            List<String> hierarchy = new ArrayList<>();
            List<Map<String, Object>> storeys = new ArrayList<>();
            spatial.entrySet().stream()
                    .filter(e -> e.getValue()[0].equals("IFCPROJECT"))
                    .forEach(e -> walk(e.getKey(), 0, hierarchy, storeys));
            text.section(1, "spatial-structure", String.join("\n", hierarchy));
            unplaced.forEach((id, type) -> {
                if (held.contains(id)) {
                    elements.merge(type, 1, Integer::sum);
                }
            });
            StringBuilder elementText = new StringBuilder("Elements:");
            elements.forEach((type, n) ->
                    elementText.append(' ').append(type).append(' ').append(n).append(','));
            text.section(1, "elements", elementText.toString());
            StringBuilder psets = new StringBuilder();
            Map<String, List<String>> resolved = new LinkedHashMap<>();
            propertySets.forEach((name, ids) -> {
                List<String> values =
                        ids.stream().map(properties::get).filter(v -> v != null).toList();
                resolved.put(name, values);
                psets.append(name)
                        .append(": ")
                        .append(String.join("; ", values))
                        .append('\n');
            });
            text.section(1, "property-sets", psets.toString());
            Map<String, Object> metadata = new LinkedHashMap<>(header.fields());
            metadata.put("project", names("IFCPROJECT").stream().findFirst().orElse(""));
            metadata.put("sites", names("IFCSITE"));
            metadata.put("buildings", names("IFCBUILDING"));
            metadata.put("storeys", storeys);
            metadata.put("elementCounts", elements);
            metadata.put("propertySets", resolved);
            return text.build("ifc", metadata);
        }

        private void walk(long id, int depth, List<String> lines, List<Map<String, Object>> storeys) {
            String[] node = spatial.get(id);
            if (node == null || depth > 16) {
                return;
            }
            String label = node[0].substring(3, 4) + node[0].substring(4).toLowerCase();
            int contained = elementsPerStructure.getOrDefault(id, 0);
            lines.add("  ".repeat(depth) + label + ": " + node[1]
                    + (node[2].isEmpty() ? "" : " (elevation " + node[2] + ")")
                    + (contained > 0 ? ", " + contained + " elements" : ""));
            if (node[0].equals("IFCBUILDINGSTOREY")) {
                Map<String, Object> storey = new LinkedHashMap<>();
                storey.put("name", node[1]);
                storey.put("elevation", node[2]);
                storey.put("elements", contained);
                storeys.add(storey);
            }
            for (long child : aggregates.getOrDefault(id, List.of())) {
                walk(child, depth + 1, lines, storeys);
            }
        }

        private List<String> names(String type) {
            return spatial.values().stream()
                    .filter(n -> n[0].equals(type))
                    .map(n -> n[1])
                    .toList();
        }

        /**
         * Whether an instance has the shape of a product (a wall, a chair, an element part, a
         * space…), whatever its type's name: an object with a GlobalId whose sixth and seventh
         * attributes are IfcProduct's ObjectPlacement and Representation (references, or unset) —
         * true of every IfcProduct subtype in IFC2X3, IFC4 and IFC4X3. Relationships, property sets
         * and type objects ({@code …TYPE}, {@code …STYLE}) are not products; the spatial structure
         * is reported on its own. One with neither placement nor shape counts only if it is
         * contained in the spatial structure (a task or a cost item looks the same otherwise).
         */
        private static boolean isProduct(String type, StepEntity.Part p) {
            return !SPATIAL.contains(type)
                    && !type.startsWith("IFCREL")
                    && !type.endsWith("TYPE")
                    && !type.endsWith("STYLE")
                    && p.parameters().size() >= 7
                    && p.parameter(0) instanceof String globalId
                    && looksLikeGlobalId(globalId)
                    && isRefOrUnset(p.parameter(5))
                    && isRefOrUnset(p.parameter(6));
        }

        /** 22 characters in every exporter's file; hand-written test models use longer ones, never spaces. */
        private static boolean looksLikeGlobalId(String id) {
            return id.length() >= 16 && id.length() <= 64 && id.chars().noneMatch(Character::isWhitespace);
        }

        private static boolean isRefOrUnset(Object value) {
            return value == null || value instanceof StepEntity.Ref;
        }
    }

    private static String nameOf(StepEntity.Part p) {
        String name = p.string(2);
        return name == null ? "" : name;
    }

    private static String nameOf0(StepEntity.Part p) {
        String name = p.string(0);
        return name == null ? "" : name;
    }

    private static java.util.Optional<Long> refOf(Object value) {
        return value instanceof StepEntity.Ref ref ? java.util.Optional.of(ref.id()) : java.util.Optional.empty();
    }

    private static String format(Object value) {
        if (value instanceof StepEntity.Typed typed) {
            return format(typed.value());
        }
        if (value instanceof StepEntity.Enum e) {
            return switch (e.name()) {
                case "T" -> "true";
                case "F" -> "false";
                default -> e.name();
            };
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return value == null ? "" : value.toString();
    }
}
