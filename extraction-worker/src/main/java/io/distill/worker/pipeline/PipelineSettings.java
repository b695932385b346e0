package io.distill.worker.pipeline;

import io.distill.model.Stage;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** {@code distill.pipeline.*}: how long each stage may take, on how many threads, and when a job is poison. */
@ConfigMapping(prefix = "distill.pipeline")
public interface PipelineSettings {

    /** Deadline per stage, keyed {@code load}, {@code text-extract}, {@code llm-extract}, {@code validate}, {@code persist}, {@code emit}. */
    Map<String, Duration> stageTimeout();

    /**
     * Threads that run stages. More than the jobs in flight, so a stage that ignores interruption
     * after its deadline (its job already failed) does not starve the next job.
     */
    @WithDefault("32")
    int stageThreads();

    /** A job whose lease expired this often (its worker died or hung each time) fails as poison. */
    @WithDefault("3")
    int maxLeaseExpiries();

    default Duration timeout(Stage stage) {
        Duration limit =
                stageTimeout().get(stage.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (limit == null) {
            throw new IllegalStateException("distill.pipeline.stage-timeout."
                    + stage.name().toLowerCase(Locale.ROOT).replace('_', '-') + " is not set");
        }
        return limit;
    }
}
