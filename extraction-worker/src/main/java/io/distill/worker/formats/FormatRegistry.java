package io.distill.worker.formats;

import io.distill.model.ErrorClass;
import io.distill.worker.pipeline.PipelineException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.HashMap;
import java.util.Map;

/** Finds the extractor for a job's format among all {@link FormatExtractor} beans. */
@ApplicationScoped
public class FormatRegistry {
    private final Map<String, FormatExtractor> byFormat = new HashMap<>();

    public FormatRegistry(Instance<FormatExtractor> extractors) {
        for (FormatExtractor extractor : extractors) {
            extractor.formats().forEach(format -> byFormat.put(format, extractor));
        }
    }

    public FormatExtractor forFormat(String format) {
        FormatExtractor extractor = byFormat.get(format);
        if (extractor == null) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "unsupported format " + format);
        }
        return extractor;
    }
}
