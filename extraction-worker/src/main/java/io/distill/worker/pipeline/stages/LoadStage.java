package io.distill.worker.pipeline.stages;

import io.distill.model.ErrorClass;
import io.distill.model.Stage;
import io.distill.worker.jobs.ClaimedJob;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineException;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;

/** Reads the job's source: the message text from the job row (files arrive with storage, issue 3). */
@ApplicationScoped
public class LoadStage implements PipelineStage {

    @Override
    public Stage stage() {
        return Stage.LOAD;
    }

    @Override
    public void run(JobContext context) {
        ClaimedJob job = context.job();
        if (!"message".equals(job.sourceKind())) {
            throw new PipelineException(ErrorClass.SOURCE_ERROR, "source kind " + job.sourceKind() + " is not supported by this worker");
        }
        if (job.sourceText() == null) {
            throw new PipelineException(ErrorClass.SOURCE_ERROR, "message job has no text");
        }
        context.source(job.sourceText().getBytes(StandardCharsets.UTF_8));
    }
}
