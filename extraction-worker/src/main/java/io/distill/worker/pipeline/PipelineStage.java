package io.distill.worker.pipeline;

import io.distill.model.Stage;

/**
 * One step of the pipeline over the shared {@link JobContext}. Stages do not know each other; the
 * {@link Pipeline} knows the order.
 */
public interface PipelineStage {

    Stage stage();

    void run(JobContext context);

    /** Whether the pipeline records progress after this stage (the last stages write their own end state). */
    default boolean reportsProgress() {
        return true;
    }
}
