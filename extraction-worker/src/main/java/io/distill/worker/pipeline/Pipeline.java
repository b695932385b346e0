package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;
import io.distill.worker.pipeline.stages.EmitStage;
import io.distill.worker.pipeline.stages.LlmExtractStage;
import io.distill.worker.pipeline.stages.LoadStage;
import io.distill.worker.pipeline.stages.PersistStage;
import io.distill.worker.pipeline.stages.TextExtractStage;
import io.distill.worker.pipeline.stages.ValidateStage;
import io.distill.worker.progress.ProgressPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * LOAD → TEXT_EXTRACT → LLM_EXTRACT → VALIDATE → PERSIST → EMIT over one claimed job. Times each
 * stage, reports progress at each boundary (which also renews the lease and notices a lost one),
 * and turns any exception into a classified {@link PipelineException}.
 */
@ApplicationScoped
public class Pipeline {
    private final List<PipelineStage> stages;
    private final ProgressPublisher progress;

    public Pipeline(LoadStage load, TextExtractStage textExtract, LlmExtractStage llmExtract, ValidateStage validate,
                    PersistStage persist, EmitStage emit, ProgressPublisher progress) {
        this.stages = List.of(load, textExtract, llmExtract, validate, persist, emit);
        this.progress = progress;
    }

    /** Runs every stage; throws {@link PipelineException} or {@link LeaseLostException}. */
    public void run(JobContext context) {
        for (PipelineStage stage : stages) {
            long t0 = System.nanoTime();
            try {
                stage.run(context);
            } catch (PipelineException | LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new PipelineException(ErrorClass.INTERNAL_ERROR,
                        stage.stage() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            } finally {
                context.recordTiming(stage.stage().name(), (System.nanoTime() - t0) / 1_000_000);
            }
            if (stage.reportsProgress()) {
                progress.stageDone(context, stage.stage(), Map.copyOf(context.stageMillis()));
            }
        }
    }
}
