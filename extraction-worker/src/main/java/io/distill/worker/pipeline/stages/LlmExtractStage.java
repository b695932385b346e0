package io.distill.worker.pipeline.stages;

import io.distill.model.Stage;
import io.distill.worker.jobs.JobStore;
import io.distill.worker.llm.ExtractionRequest;
import io.distill.worker.llm.Extractor;
import io.distill.worker.llm.LlmBudget;
import io.distill.worker.llm.LlmUsage;
import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Produces the structured record with the configured {@link Extractor}. A paid extractor first
 * checks the user's daily budget; whatever the outcome, the requests it made and what they cost
 * are recorded, so failed attempts count too.
 */
@ApplicationScoped
public class LlmExtractStage implements PipelineStage {
    private static final Logger LOG = Logger.getLogger(LlmExtractStage.class);
    private final Extractor extractor;
    private final LlmBudget budget;
    private final JobStore store;
    private final WorkerMetrics metrics;

    public LlmExtractStage(Extractor extractor, LlmBudget budget, JobStore store, WorkerMetrics metrics) {
        this.extractor = extractor;
        this.budget = budget;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public Stage stage() {
        return Stage.LLM_EXTRACT;
    }

    @Override
    public void run(JobContext context) {
        String userId = context.job().userId();
        if (extractor.usesProvider()) {
            budget.ensureAvailable(userId);
        }
        LlmUsage usage = new LlmUsage();
        try {
            context.extraction(extractor.extract(context.document(), new ExtractionRequest(context.job(), context.project(), usage)));
        } finally {
            account(context, usage);
        }
    }

    private void account(JobContext context, LlmUsage usage) {
        if (usage.calls() == 0) {
            return;
        }
        metrics.llm(usage);
        try {
            store.countLlmCalls(context.job(), usage.calls());
            budget.record(context.job().userId(), usage);
        } catch (RuntimeException e) {
            // the stage's own outcome matters more than a lost tally; the provider bills regardless
            LOG.warnf("job %s: recording %d LLM calls failed: %s", context.job().id(), usage.calls(), e.toString());
        }
    }
}
