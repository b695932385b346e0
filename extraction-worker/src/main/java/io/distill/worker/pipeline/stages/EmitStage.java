package io.distill.worker.pipeline.stages;

import io.distill.model.Stage;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineStage;
import io.distill.worker.progress.ProgressPublisher;
import jakarta.enterprise.context.ApplicationScoped;

/** Announces the completed job on the events topic (the job is already durable; this is the news). */
@ApplicationScoped
public class EmitStage implements PipelineStage {
    private final ProgressPublisher progress;

    public EmitStage(ProgressPublisher progress) {
        this.progress = progress;
    }

    @Override
    public Stage stage() {
        return Stage.EMIT;
    }

    @Override
    public boolean reportsProgress() {
        return false;
    }

    @Override
    public void run(JobContext context) {
        progress.completed(context);
    }
}
