package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;
import io.distill.worker.pipeline.stages.EmitStage;
import io.distill.worker.pipeline.stages.LlmExtractStage;
import io.distill.worker.pipeline.stages.LoadStage;
import io.distill.worker.pipeline.stages.PersistStage;
import io.distill.worker.pipeline.stages.TextExtractStage;
import io.distill.worker.pipeline.stages.ValidateStage;
import io.distill.worker.metrics.WorkerMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
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
    private final WorkerMetrics metrics;
    private final Tracer tracer;

    public Pipeline(LoadStage load, TextExtractStage textExtract, LlmExtractStage llmExtract, ValidateStage validate,
                    PersistStage persist, EmitStage emit, ProgressPublisher progress, WorkerMetrics metrics, Tracer tracer) {
        this.stages = List.of(load, textExtract, llmExtract, validate, persist, emit);
        this.progress = progress;
        this.metrics = metrics;
        this.tracer = tracer;
    }

    /** Runs every stage; throws {@link PipelineException} or {@link LeaseLostException}. */
    public void run(JobContext context) {
        for (PipelineStage stage : stages) {
            long t0 = System.nanoTime();
            // one span per stage, children of the job's consumer span: the trace shows where the time went
            Span span = tracer.spanBuilder("distill.stage " + stage.stage().name())
                    .setAttribute("distill.job.id", context.job().id().toString()).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                stage.run(context);
            } catch (PipelineException | LeaseLostException e) {
                span.setStatus(StatusCode.ERROR, e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
                throw new PipelineException(ErrorClass.INTERNAL_ERROR,
                        stage.stage() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
            } finally {
                span.end();
                long millis = (System.nanoTime() - t0) / 1_000_000;
                context.recordTiming(stage.stage().name(), millis);
                metrics.stage(stage.stage().name(), millis);
            }
            if (stage.reportsProgress()) {
                progress.stageDone(context, stage.stage(), Map.copyOf(context.stageMillis()));
            }
        }
    }
}
