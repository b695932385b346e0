package io.distill.worker.metrics;

import io.distill.worker.llm.LlmUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What a worker counts for Prometheus: how attempts end (by error class), how long each stage
 * takes, and what the LLM costs (requests, tokens, dollars). Consumer lag comes from the Kafka
 * client's own metrics (kafka_consumer_fetch_manager_records_lag*).
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
