package io.distill.worker.metrics;

import io.distill.worker.llm.LlmUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a worker counts for Prometheus: how attempts end (by error class), how long each stage, each
 * write to the job row and each hand-over of a progress event takes, and what the LLM costs
 * (requests, tokens, dollars). Consumer lag comes from the Kafka client's own metrics
 * (kafka_consumer_fetch_manager_records_lag*).
 *
 * <p>Each meter is built and registered once, on first use, and kept: these are called several
 * times per job, and building a meter's id on every call was visible in the hot path's profile.
 */
@ApplicationScoped
public class WorkerMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Map<String, Timer> stores = new ConcurrentHashMap<>();
    private final Timer published;
    private final Counter llmRequests;
    private final Counter promptTokens;
    private final Counter completionTokens;
    private final Counter llmCost;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Timer.builder("distill.progress.publish.duration")
                .description("a progress event handed to the Kafka producer, on the pipeline's thread")
                .register(registry);
        this.llmRequests = Counter.builder("distill.llm.requests")
                .description("HTTP requests to the LLM provider")
                .register(registry);
        this.promptTokens =
                Counter.builder("distill.llm.tokens").tag("type", "prompt").register(registry);
        this.completionTokens =
                Counter.builder("distill.llm.tokens").tag("type", "completion").register(registry);
        this.llmCost = Counter.builder("distill.llm.cost").baseUnit("usd").register(registry);
    }

    /** {@code outcome}: completed, retry or failed; {@code error}: the error class, "none" on success. */
    public void attemptEnded(String outcome, String error) {
        attempts.computeIfAbsent(
                        outcome + '|' + error,
                        key -> Counter.builder("distill.jobs.attempts")
                                .tag("outcome", outcome)
                                .tag("error", error)
                                .register(registry))
                .increment();
    }

    public void stage(String stage, long millis) {
        stages.computeIfAbsent(
                        stage,
                        key -> Timer.builder("distill.stage.duration")
                                .tag("stage", stage)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(millis, TimeUnit.MILLISECONDS);
    }

    /** One of the job row's writes ({@code claim}, {@code progress}, {@code complete}), waiting included. */
    public void store(String write, long nanos) {
        stores.computeIfAbsent(
                        write,
                        key -> Timer.builder("distill.store.duration")
                                .description("a write to the job row, from the worker's call to its answer")
                                .tag("write", write)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Handing one progress event to the Kafka producer, on the pipeline's thread (not its delivery). */
    public void published(long nanos) {
        published.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void llm(LlmUsage usage) {
        llmRequests.increment(usage.calls());
        promptTokens.increment(usage.promptTokens());
        completionTokens.increment(usage.completionTokens());
        llmCost.increment(usage.costUsd().doubleValue());
    }
}
