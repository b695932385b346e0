package io.distill.bench;

import io.distill.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run, each beside its baseline, as Markdown and JSON. */
final class Report {
    /**
     * @param goal     the target ratio or bound, in words ({@code ≥ 0.5}, {@code ≤ 50 ms}); empty when the figure is context
     * @param met      whether the goal was met (null: no goal)
     */
    record Figure(
            String section,
            String name,
            double value,
            String unit,
            String baseline,
            double baselineValue,
            String goal,
            Boolean met,
            String note) {
        double ratio() {
            return baselineValue > 0 ? value / baselineValue : Double.NaN;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> context = new LinkedHashMap<>();
    /** Hottest methods per profiled phase and service (JDK Flight Recorder). */
    private final Map<String, List<String>> profiles = new LinkedHashMap<>();
    /** When the run started: each figure's log line says how far into the run it came, to show where the time goes. */
    private final long startNanos = System.nanoTime();

    void add(Figure figure) {
        figures.add(figure);
        System.out.printf(
                Locale.ROOT,
                "[bench] %5.0f s  %s | %s: %.2f %s (baseline %s %.2f)%n",
                (System.nanoTime() - startNanos) / 1e9,
                figure.section(),
                figure.name(),
                figure.value(),
                figure.unit(),
                figure.baseline(),
                figure.baselineValue());
    }

    void context(String key, Object value) {
        context.put(key, value);
    }

    void profile(String title, List<String> hottest) {
        profiles.put(title, List.copyOf(hottest));
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## Latest run\n\n");
        context.forEach(
                (k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        String section = null;
        for (Figure f : figures) {
            if (!f.section().equals(section)) {
                section = f.section();
                md.append("\n### ")
                        .append(section)
                        .append(
                                "\n\n| figure | value | baseline | ratio | goal | met | note |\n|---|---|---|---|---|---|---|\n");
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %s %s | %s | %s | %s | %s | %s |%n",
                    f.name(),
                    number(f.value()),
                    f.unit(),
                    f.baseline().isEmpty() ? "" : f.baseline() + " = " + number(f.baselineValue()),
                    Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio()),
                    f.goal(),
                    f.met() == null ? "" : f.met() ? "yes" : "**no**",
                    f.note()));
        }
        if (!profiles.isEmpty()) {
            md.append("\n### Profiles (JDK Flight Recorder, share of CPU samples by top frame)\n");
            profiles.forEach((title, lines) -> {
                md.append("\n").append(title).append(":\n\n```\n");
                lines.forEach(line -> md.append(line).append('\n'));
                md.append("```\n");
            });
        }
        return md.toString();
    }

    void write(Path markdown, Path json) throws IOException {
        if (markdown.getParent() != null) {
            Files.createDirectories(markdown.getParent());
        }
        Files.writeString(markdown, markdown());
        Files.writeString(
                json,
                Json.mapper()
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(Map.of("context", context, "figures", figures, "profiles", profiles)));
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
