package io.distill.worker.formats.step;

import io.distill.worker.formats.DocumentModel;
import io.distill.worker.formats.ExtractionLimits;
import io.distill.worker.formats.FormatExtractor;
import io.distill.worker.formats.Source;
import io.distill.worker.formats.TextBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** STEP (AP203/AP214/AP242) parts: header, product names, units, entity counts; streamed. */
@ApplicationScoped
public class StepExtractor implements FormatExtractor {
    private static final int MAX_PRODUCTS = 1000;

    @Override
    public Set<String> formats() {
        return Set.of("step");
    }

    @Override
    public DocumentModel extract(Source source, ExtractionLimits limits) throws IOException {
        StepHeader header = new StepHeader();
        Set<String> products = new LinkedHashSet<>();
        Map<String, String> units = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        try (StepReader reader = StepReader.open(source, limits)) {
            StepEntity entity;
            while ((entity = reader.next()) != null) {
                if (entity.id() == 0) {
                    header.accept(entity);
                    continue;
                }
                counts.merge(entity.type(), 1, Integer::sum);
                if (entity.type().equals("PRODUCT") && products.size() < MAX_PRODUCTS) {
                    String name = entity.first().string(1);
                    products.add(name == null || name.isBlank() ? nullToEmpty(entity.first().string(0)) : name);
                }
                unit(entity).ifPresent(u -> units.putIfAbsent(u[0], u[1]));
            }
        }
        TextBuilder text = new TextBuilder(limits.maxTextChars());
        text.section(1, "header", header.describe());
        text.section(1, "products", products.isEmpty() ? "" : "Products: " + String.join(", ", products));
        StringBuilder unitText = new StringBuilder();
        units.forEach((kind, unit) -> unitText.append(kind).append(": ").append(unit).append('\n'));
        text.section(1, "units", unitText.toString());
        Map<String, Object> metadata = new LinkedHashMap<>(header.fields());
        metadata.put("products", List.copyOf(products));
        metadata.put("units", units);
        metadata.put("entityCounts", counts);
        return text.build("step", metadata);
    }

    /** Units from complex instances: (LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.MILLI.,.METRE.)) → length = milli metre. */
    static java.util.Optional<String[]> unit(StepEntity entity) {
        if (entity.parts().size() < 2) {
            return java.util.Optional.empty();
        }
        String kind = entity.parts().stream().map(StepEntity.Part::type).filter(t -> t.endsWith("_UNIT")
                && !t.equals("NAMED_UNIT") && !t.equals("SI_UNIT") && !t.equals("CONVERSION_BASED_UNIT")).findFirst().orElse(null);
        if (kind == null) {
            return java.util.Optional.empty();
        }
        StepEntity.Part si = entity.part("SI_UNIT");
        if (si != null) {
            String prefix = si.parameter(0) instanceof StepEntity.Enum e ? e.name().toLowerCase(Locale.ROOT) : "";
            String name = si.parameter(1) instanceof StepEntity.Enum e ? e.name().toLowerCase(Locale.ROOT) : "";
            return java.util.Optional.of(new String[] {kind.replace("_UNIT", "").toLowerCase(Locale.ROOT), prefix + name});
        }
        StepEntity.Part conversion = entity.part("CONVERSION_BASED_UNIT");
        if (conversion != null && conversion.string(0) != null) {
            return java.util.Optional.of(new String[] {kind.replace("_UNIT", "").toLowerCase(Locale.ROOT), conversion.string(0).toLowerCase(Locale.ROOT)});
        }
        return java.util.Optional.empty();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
