package io.distill.worker.metrics;

import io.distill.worker.llm.LlmUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What a worker counts for Prometheus: how attempts end (by error class), how long each stage, each
 * write to the job row and each hand-over of a progress event takes, and what the LLM costs
 * (requests, tokens, dollars). Consumer lag comes from the Kafka client's own metrics
 * (kafka_consumer_fetch_manager_records_lag*).
 */
@ApplicationScoped
public class WorkerMetrics {
    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code outcome}: completed, retry or failed; {@code error}: the error class, "none" on success. */
    public void attemptEnded(String outcome, String error) {
        Counter.builder("distill.jobs.attempts")
                .tag("outcome", outcome)
                .tag("error", error)
                .register(registry)
                .increment();
    }

    public void stage(String stage, long millis) {
        Timer.builder("distill.stage.duration")
                .tag("stage", stage)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofMillis(millis));
    }

    /** One of the job row's writes ({@code claim}, {@code progress}, {@code complete}), waiting included. */
    public void store(String write, long nanos) {
        Timer.builder("distill.store.duration")
                .description("a write to the job row, from the worker's call to its answer")
                .tag("write", write)
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Handing one progress event to the Kafka producer, on the pipeline's thread (not its delivery). */
    public void published(long nanos) {
        Timer.builder("distill.progress.publish.duration")
                .description("a progress event handed to the Kafka producer, on the pipeline's thread")
                .register(registry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void llm(LlmUsage usage) {
        Counter.builder("distill.llm.requests")
                .description("HTTP requests to the LLM provider")
                .register(registry)
                .increment(usage.calls());
        Counter.builder("distill.llm.tokens")
                .tag("type", "prompt")
                .register(registry)
                .increment(usage.promptTokens());
        Counter.builder("distill.llm.tokens")
                .tag("type", "completion")
                .register(registry)
                .increment(usage.completionTokens());
        Counter.builder("distill.llm.cost")
                .baseUnit("usd")
                .register(registry)
                .increment(usage.costUsd().doubleValue());
    }
}
