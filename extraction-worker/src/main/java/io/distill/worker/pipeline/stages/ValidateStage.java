package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.worker.llm.Extraction;
import io.distill.worker.llm.Extractor;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Checks the record before it is stored: every required field present and not null. */
@ApplicationScoped
public class ValidateStage implements PipelineStage {
    private final Extractor extractor;

    public ValidateStage(Extractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public Stage stage() {
        return Stage.VALIDATE;
    }

    @Override
    public void run(JobContext context) {
        Extraction extraction = context.extraction();
        List<String> missing = extractor.requiredFields().stream()
                .filter(field -> extraction.fields().get(field) == null)
                .sorted()
                .toList();
        if (!missing.isEmpty()) {
            throw new PipelineException(ErrorClass.VALIDATION_ERROR, "missing required fields " + missing);
        }
    }
}
