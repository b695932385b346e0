package io.distill.worker.pipeline;

import io.distill.worker.metrics.WorkerMetrics;
import io.distill.worker.pipeline.stages.EmitStage;
import io.distill.worker.pipeline.stages.LlmExtractStage;
import io.distill.worker.pipeline.stages.LoadStage;
import io.distill.worker.pipeline.stages.PersistStage;
import io.distill.worker.pipeline.stages.TextExtractStage;
import io.distill.worker.pipeline.stages.ValidateStage;
import io.distill.worker.progress.ProgressPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * LOAD → TEXT_EXTRACT → LLM_EXTRACT → VALIDATE → PERSIST → EMIT over one claimed job. Each stage
 * runs on the {@link StageExecutor} under its deadline ({@code distill.pipeline.stage-timeout.*});
 * the pipeline times each stage, reports progress at each boundary (see {@link ProgressPublisher}:
 * an event for each, a row mark for long ones) and records which stage is running, so a failure
 * names its stage.
 */
@ApplicationScoped
public class Pipeline {
    private final List<PipelineStage> stages;
    private final StageExecutor executor;
    private final PipelineSettings settings;
    private final ProgressPublisher progress;
    private final WorkerMetrics metrics;
    private final Tracer tracer;

    public Pipeline(
            LoadStage load,
            TextExtractStage textExtract,
            LlmExtractStage llmExtract,
            ValidateStage validate,
            PersistStage persist,
            EmitStage emit,
            StageExecutor executor,
            PipelineSettings settings,
            ProgressPublisher progress,
            WorkerMetrics metrics,
            Tracer tracer) {
        this.stages = List.of(load, textExtract, llmExtract, validate, persist, emit);
        this.executor = executor;
        this.settings = settings;
        this.progress = progress;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    /** Runs every stage; throws {@link PipelineException} or {@link LeaseLostException}. */
    public void run(JobContext context) {
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage stage = stages.get(i);
            if (context.isLeaseLost()) {
                throw new LeaseLostException(context.job().id());
            }
            Duration limit = settings.timeout(stage.stage());
            context.stageStarted(stage.stage(), limit);
            long t0 = System.nanoTime();
            // one span per stage, children of the job's consumer span: the trace shows where the time went
            Span span = tracer.spanBuilder("distill.stage " + stage.stage().name())
                    .setAttribute("distill.job.id", context.job().id().toString())
                    .startSpan();
            Context traced = Context.current().with(span);
            try {
                executor.run(context, stage.stage().name(), limit, () -> {
                    try (Scope ignored = traced.makeCurrent()) {
                        stage.run(context);
                    }
                });
            } catch (PipelineException | LeaseLostException e) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
                throw e;
            } finally {
                span.end();
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            context.recordTiming(stage.stage().name(), millis);
            metrics.stage(stage.stage().name(), millis);
            if (stage.reportsProgress()) {
                progress.stageDone(
                        context, stage.stage(), stages.get(i + 1).stage(), millis, Map.copyOf(context.stageMillis()));
            }
        }
    }
}
