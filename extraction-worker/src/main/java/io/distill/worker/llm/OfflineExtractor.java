package io.distill.worker.llm;

import io.distill.model.ErrorClass;
import io.distill.worker.formats.DocumentModel;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.pipeline.PipelineException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit offline extractor: deterministic rules, no model, no network. Chosen by
 * configuration ({@code distill.extraction.provider=offline}) and named {@value #NAME} in every
 * result it produces, so it is never mistaken for a model's answer. It fills every built-in
 * template with values the rules can stand behind (see {@link SchemaFill}), in time linear in the
 * text.
 */
public class OfflineExtractor implements Extractor {
    public static final String NAME = "offline-rules-v1";

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
            throw new PipelineException(
                    ErrorClass.PROVIDER_ERROR,
                    "simulated provider failure (fault drill), attempt " + (job.retryCount() + 1) + " of "
                            + failFirstAttempts);
        }
        String text = document.text();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        Map<String, Double> confidence = new LinkedHashMap<>();
        String title = OfflineFindings.title(text);
        fields.put("title", title);
        if (!title.isEmpty()) {
            int at = text.indexOf(title);
            evidence.put("title", List.of(Evidence.of(document, at, at + title.length())));
        }
        // the first line is a guess at a title; the pattern matches below are exact
        confidence.put("title", 0.6);
        fields.put("summary", OfflineFindings.summary(text));
        confidence.put("summary", 0.5);
        fields.put("word_count", OfflineFindings.wordCount(text));
        confidence.put("word_count", 1.0);
        matches(document, "emails", OfflineFindings.EMAIL, fields, evidence, confidence);
        matches(document, "urls", OfflineFindings.URL, fields, evidence, confidence);
        matches(document, "dates", OfflineFindings.ISO_DATE, fields, evidence, confidence);
        matches(document, "amounts", OfflineFindings.AMOUNT, fields, evidence, confidence);
        SchemaFill.fill(
                request.project().definition().schema(),
                fields,
                confidence,
                new SchemaFill.Clues(text, document.metadata(), job.metadata()));
        return new Extraction(
                NAME,
                "offline",
                fields,
                evidence,
                confidence,
                Map.of(),
                Map.of("simulated_latency_ms", simulatedLatency.toMillis()));
    }

    private static void matches(
            DocumentModel document,
            String field,
            com.google.re2j.Pattern pattern,
            Map<String, Object> fields,
            Map<String, List<Evidence>> evidence,
            Map<String, Double> confidence) {
        List<Evidence> found = OfflineFindings.matches(document, pattern);
        fields.put(field, found.stream().map(Evidence::quote).toList());
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
            throw new PipelineException(ErrorClass.INTERNAL_ERROR, "interrupted");
        }
    }
}
