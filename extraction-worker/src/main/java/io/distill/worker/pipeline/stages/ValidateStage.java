package io.distill.worker.pipeline.stages;

import com.fasterxml.jackson.databind.JsonNode;
import io.distill.model.ErrorClass;
import io.distill.model.Json;
import io.distill.model.Stage;
import io.distill.model.projects.RecordValidator;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks the record against its project before it is stored: the JSON Schema strictly, then the
 * project's CEL rules. Every violation is named in the job's error ({@code validation_error:…}).
 */
@ApplicationScoped
public class ValidateStage implements PipelineStage {

    @Override
    public Stage stage() {
        return Stage.VALIDATE;
    }

    /** Checking takes microseconds: its progress mark would cost a write and an event per job for nothing. */
    @Override
    public boolean reportsProgress() {
        return false;
    }

    @Override
    public void run(JobContext context) {
        JsonNode record = Json.mapper().valueToTree(context.extraction().fields());
        List<RecordValidator.Violation> violations =
                context.project().validator().validate(record);
        if (!violations.isEmpty()) {
            throw new PipelineException(
                    ErrorClass.VALIDATION_ERROR,
                    violations.size() + " violation(s): "
                            + violations.stream()
                                    .map(RecordValidator.Violation::toString)
                                    .collect(Collectors.joining("; ")));
        }
    }
}
