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
    public Set<String> requiredFields() {
        return Set.of("title", "summary", "word_count", "emails", "urls", "dates", "amounts");
    }

    @Override
    public Extraction extract(DocumentModel document, ClaimedJob job) {
        pause();
        if (job.retryCount() < failFirstAttempts) {
            throw new PipelineException(ErrorClass.PROVIDER_ERROR,
                    "simulated provider failure (fault drill), attempt " + (job.retryCount() + 1) + " of " + failFirstAttempts);
        }
        String text = document.text();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("title", title(text));
        fields.put("summary", summary(text));
        fields.put("word_count", text.isBlank() ? 0 : text.trim().split("\\s+").length);
        fields.put("emails", all(EMAIL, text));
        fields.put("urls", all(URL, text));
        fields.put("dates", all(ISO_DATE, text));
        fields.put("amounts", all(AMOUNT, text));
        return new Extraction(NAME, "offline", fields, Map.of("simulated_latency_ms", simulatedLatency.toMillis()));
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

    private static List<String> all(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find() && found.size() < MAX_MATCHES) {
            found.add(m.group().strip());
        }
        return List.copyOf(found);
    }
}
