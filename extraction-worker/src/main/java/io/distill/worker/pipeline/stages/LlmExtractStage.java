package io.distill.worker.pipeline.stages;

import io.distill.model.Stage;
import io.distill.worker.llm.ExtractionRequest;
import io.distill.worker.llm.Extractor;
import io.distill.worker.llm.LlmBudget;
import io.distill.worker.llm.LlmSettings;
import io.distill.worker.llm.LlmUsage;
import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.JobContext;
import io.distill.worker.pipeline.PipelineStage;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * Produces the structured record with the configured {@link Extractor}. A paid extractor first
 * makes sure the budget set aside (see {@link LlmBudget}) covers what the job may cost; what the
 * calls cost is settled with the attempt's end, failed attempts included.
 */
@ApplicationScoped
public class LlmExtractStage implements PipelineStage {
    private final Extractor extractor;
    private final LlmBudget budget;
    private final WorkerMetrics metrics;
    private final LlmSettings settings;

    public LlmExtractStage(Extractor extractor, LlmBudget budget, WorkerMetrics metrics, LlmSettings settings) {
        this.extractor = extractor;
        this.budget = budget;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public Stage stage() {
        return Stage.LLM_EXTRACT;
    }

    @Override
    public void run(JobContext context) {
        if (extractor.usesProvider()) {
            reserveFor(context);
        }
        LlmUsage usage = context.usage();
        int before = usage.calls();
        try {
            ExtractionRequest request =
                    new ExtractionRequest(context.job(), context.options(), context.project(), usage);
            context.extraction(extractor.extract(context.document(), request));
        } finally {
            if (usage.calls() > before) {
                metrics.llm(usage);
            }
        }
    }

    /**
     * Makes sure the budget set aside covers this job's worst case: the claim reserved a first part;
     * a longer document tops it up here (or, if the claim could not reserve, asks for the whole).
     */
    private void reserveFor(JobContext context) {
        BigDecimal needed = budget.estimate(
                context.project().definition(), context.document().text().length(), parts(context));
        LlmBudget.Reservation held = context.reservation();
        if (held == null) {
            context.reservation(budget.reserve(context.job().userId(), needed));
        } else if (needed.compareTo(held.amount()) > 0) {
            budget.reserve(context.job().userId(), needed.subtract(held.amount()));
            context.reservation(held.plus(needed.subtract(held.amount())));
        }
    }

    private int parts(JobContext context) {
        return Math.max(1, (int) Math.ceil(context.document().text().length() / (double) settings.chunkChars()));
    }
}
