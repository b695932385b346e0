package io.distill.worker.pipeline.stages;

import io.distill.model.Stage;
import io.distill.worker.llm.Extractor;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;

/** Produces the structured record with the configured {@link Extractor}. */
@ApplicationScoped
public class LlmExtractStage implements PipelineStage {
    private final Extractor extractor;

    public LlmExtractStage(Extractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public Stage stage() {
        return Stage.LLM_EXTRACT;
    }

    @Override
    public void run(JobContext context) {
        context.extraction(extractor.extract(context.document(), context.job()));
    }
}
