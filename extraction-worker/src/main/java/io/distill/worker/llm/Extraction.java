package io.distill.worker.llm;

import java.util.List;
import java.util.Map;

/**
 * The record an extractor produced from a document: named fields, the evidence for each value, a
 * confidence per field and how well the values were grounded in the text, plus who produced it
 * ({@code extractor}, {@code kind}: "offline" or "llm") and provider telemetry where there is any.
 */
public record Extraction(
        String extractor,
        String kind,
        Map<String, Object> fields,
        Map<String, List<Evidence>> evidence,
        Map<String, Double> confidence,
        Map<String, Object> grounding,
        Map<String, Object> telemetry) {}
