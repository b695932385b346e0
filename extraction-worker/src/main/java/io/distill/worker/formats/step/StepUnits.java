package io.distill.worker.formats.step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The units a STEP model is measured in: those its representation contexts assign
 * ({@code GLOBAL_UNIT_ASSIGNED_CONTEXT}), not merely the first unit declared — a model in inches
 * also declares the millimetre its inch is defined by. A conversion-based unit is reported by its
 * name with its definition ({@code inch (25.4 millimetre)}), whatever unit that definition uses.
 */
final class StepUnits {
    /** Unit entities by id: kind ("length"), and either an SI name or a conversion (name, measure id). */
    private final Map<Long, Unit> units = new HashMap<>();
    /** Measure-with-unit entities by id: the factor and the unit it is in. */
    private final Map<Long, Measure> measures = new HashMap<>();

    private final Set<Long> assigned = new LinkedHashSet<>();

    private record Unit(String kind, String name, Long definedBy) {}

    private record Measure(Object factor, Long unit) {}

    void accept(StepEntity entity) {
        StepEntity.Part context = entity.part("GLOBAL_UNIT_ASSIGNED_CONTEXT");
        if (context != null) {
            assigned.addAll(StepEntity.refs(context.parameter(0)));
        }
        // LENGTH_MEASURE_WITH_UNIT(LENGTH_MEASURE(25.4),#13), or the same as a part of a complex instance
        for (StepEntity.Part part : entity.parts()) {
            if (part.type().endsWith("MEASURE_WITH_UNIT") && part.parameters().size() >= 2) {
                Object factor = part.parameter(0);
                measures.put(
                        entity.id(),
                        new Measure(
                                factor instanceof StepEntity.Typed t ? t.value() : factor,
                                part.parameter(1) instanceof StepEntity.Ref ref ? ref.id() : null));
            }
        }
        unit(entity);
    }

    /** Complex unit instances: {@code (LENGTH_UNIT() NAMED_UNIT(*) SI_UNIT(.MILLI.,.METRE.))}. */
    private void unit(StepEntity entity) {
        if (entity.parts().size() < 2) {
            return;
        }
        String kind = entity.parts().stream()
                .map(StepEntity.Part::type)
                .filter(t -> t.endsWith("_UNIT")
                        && !t.equals("NAMED_UNIT")
                        && !t.equals("SI_UNIT")
                        && !t.equals("CONVERSION_BASED_UNIT"))
                .findFirst()
                .orElse(null);
        if (kind == null) {
            return;
        }
        kind = kind.replace("_UNIT", "").toLowerCase(Locale.ROOT);
        StepEntity.Part si = entity.part("SI_UNIT");
        StepEntity.Part conversion = entity.part("CONVERSION_BASED_UNIT");
        if (si != null) {
            String prefix =
                    si.parameter(0) instanceof StepEntity.Enum e ? e.name().toLowerCase(Locale.ROOT) : "";
            String name =
                    si.parameter(1) instanceof StepEntity.Enum e ? e.name().toLowerCase(Locale.ROOT) : "";
            units.put(entity.id(), new Unit(kind, prefix + name, null));
        } else if (conversion != null && conversion.string(0) != null) {
            units.put(
                    entity.id(),
                    new Unit(
                            kind,
                            conversion.string(0).strip().toLowerCase(Locale.ROOT),
                            conversion.parameter(1) instanceof StepEntity.Ref ref ? ref.id() : null));
        }
    }

    /** Kind → unit(s) of the model; every declared unit when no context assigns any. */
    Map<String, String> modelUnits() {
        Map<String, Set<String>> byKind = new TreeMap<>();
        List<Long> ids = assigned.isEmpty() ? new ArrayList<>(units.keySet()) : new ArrayList<>(assigned);
        for (Long id : ids) {
            Unit unit = units.get(id);
            if (unit != null) {
                byKind.computeIfAbsent(unit.kind(), k -> new LinkedHashSet<>()).add(describe(unit));
            }
        }
        Map<String, String> result = new TreeMap<>();
        byKind.forEach((kind, names) -> result.put(kind, String.join(", ", names)));
        return result;
    }

    private String describe(Unit unit) {
        if (unit.definedBy() == null) {
            return unit.name();
        }
        Measure measure = measures.get(unit.definedBy());
        Unit base = measure == null || measure.unit() == null ? null : units.get(measure.unit());
        if (base == null || !(measure.factor() instanceof Number factor)) {
            return unit.name();
        }
        double value = factor.doubleValue();
        String number = value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
        return unit.name() + " (" + number + " " + base.name() + ")";
    }
}
