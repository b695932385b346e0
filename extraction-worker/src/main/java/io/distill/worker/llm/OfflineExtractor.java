package io.distill.worker.llm;

import io.distill.model.ErrorClass;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.pipeline.PipelineException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The explicit offline extractor: deterministic rules, no model, no network. Chosen by
 * configuration ({@code distill.extraction.provider=offline}) and named {@value #NAME} in every
 * result it produces, so it is never mistaken for a model's answer.
 */
public class OfflineExtractor implements Extractor {
    public static final String NAME = "offline-rules-v1";
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')]+");
    private static final Pattern ISO_DATE = Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b");
    private static final Pattern AMOUNT = Pattern.compile(
            "(?:(?:EUR|USD|GBP|CHF|€|\\$|£)\\s?\\d[\\d,.]*|\\d[\\d,.]*\\s?(?:EUR|USD|GBP|CHF|€|\\$|£))");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final int MAX_MATCHES = 50;

    private final Duration simulatedLatency;
    private final int failFirstAttempts;

    /**
     * @param simulatedLatency  time each extraction takes (benchmarks, fault tests); zero in real use
     * @param failFirstAttempts fault drill: the first N attempts of every job fail with a provider
     *                          error, as a flaky provider would; zero in real use
     */
    public OfflineExtractor(Duration simulatedLatency, int failFirstAttempts) {
        this.simulatedLatency = simulatedLatency;
        this.failFirstAttempts = failFirstAttempts;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesProvider() {
        return false;
    }

    @Override
    public Extraction extract(DocumentModel document, ExtractionRequest request) {
        ClaimedJob job = request.job();
        pause();
        if (job.retryCount() < failFirstAttempts) {
            throw new PipelineException(ErrorClass.PROVIDER_ERROR,
                    "simulated provider failure (fault drill), attempt " + (job.retryCount() + 1) + " of " + failFirstAttempts);
        }
        String text = document.text();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        Map<String, Double> confidence = new LinkedHashMap<>();
        String title = title(text);
        fields.put("title", title);
        if (!title.isEmpty()) {
            int at = text.indexOf(title);
            evidence.put("title", List.of(Evidence.of(document, at, at + title.length())));
        }
        // the first line is a guess at a title; the pattern matches below are exact
        confidence.put("title", 0.6);
        fields.put("summary", summary(text));
        confidence.put("summary", 0.5);
        fields.put("word_count", text.isBlank() ? 0 : text.trim().split("\\s+").length);
        confidence.put("word_count", 1.0);
        matches(document, "emails", EMAIL, fields, evidence, confidence);
        matches(document, "urls", URL, fields, evidence, confidence);
        matches(document, "dates", ISO_DATE, fields, evidence, confidence);
        matches(document, "amounts", AMOUNT, fields, evidence, confidence);
        SchemaFill.fill(request.project().definition().schema(), fields, confidence);
        return new Extraction(NAME, "offline", fields, evidence, confidence, Map.of(),
                Map.of("simulated_latency_ms", simulatedLatency.toMillis()));
    }

    /** Every distinct match as the field's values, each with where it was found. */
    private static void matches(DocumentModel document, String field, Pattern pattern, Map<String, Object> fields,
                                Map<String, List<Evidence>> evidence, Map<String, Double> confidence) {
        Set<String> values = new LinkedHashSet<>();
        List<Evidence> found = new java.util.ArrayList<>();
        Matcher m = pattern.matcher(document.text());
        while (m.find() && values.size() < MAX_MATCHES) {
            String value = m.group().strip();
            if (values.add(value)) {
                int start = m.start() + m.group().indexOf(value);
                found.add(Evidence.of(document, start, start + value.length()));
            }
        }
        fields.put(field, List.copyOf(values));
        evidence.put(field, found);
        confidence.put(field, 1.0);
    }

    private void pause() {
        if (simulatedLatency.isZero()) {
            return;
        }
        try {
            Thread.sleep(simulatedLatency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String title(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst()
                .map(l -> l.length() > 120 ? l.substring(0, 120) : l).orElse("");
    }

    private static String summary(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        String[] sentences = SENTENCE_END.split(flat, 3);
        String summary = sentences.length >= 2 ? sentences[0] + " " + sentences[1] : flat;
        return summary.length() > 300 ? summary.substring(0, 300) : summary;
    }
}
