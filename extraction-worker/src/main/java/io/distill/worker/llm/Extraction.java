package io.distill.worker.llm;

import java.util.Map;

/**
 * The record an extractor produced from a document: named fields plus who produced it
 * ({@code extractor}, {@code kind}: "offline" or "llm") and provider telemetry where there is any.
 */
public record Extraction(String extractor, String kind, Map<String, Object> fields, Map<String, Object> telemetry) {
}
