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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** STEP (AP203/AP214/AP242) parts: header, product names, the model's units, entity counts; streamed. */
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
        StepUnits units = new StepUnits();
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
                    products.add(
                            name == null || name.isBlank()
                                    ? nullToEmpty(entity.first().string(0))
                                    : name);
                }
                units.accept(entity);
            }
        }
        Map<String, String> modelUnits = units.modelUnits();
        TextBuilder text = new TextBuilder(limits.maxTextChars());
        text.section(1, "header", header.describe());
        text.section(1, "products", products.isEmpty() ? "" : "Products: " + String.join(", ", products));
        StringBuilder unitText = new StringBuilder();
        modelUnits.forEach(
                (kind, unit) -> unitText.append(kind).append(": ").append(unit).append('\n'));
        text.section(1, "units", unitText.toString());
        Map<String, Object> metadata = new LinkedHashMap<>(header.fields());
        metadata.put("products", List.copyOf(products));
        metadata.put("units", modelUnits);
        metadata.put("entityCounts", counts);
        return text.build("step", metadata);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
