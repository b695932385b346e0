package io.distill.worker.jobs;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** When a failed attempt is tried again ({@code distill.retry.*}): exponential backoff between the two, with equal jitter (see RetryPolicy). */
@ConfigMapping(prefix = "distill.retry")
public interface RetrySettings {
    Duration baseDelay();

    Duration maxDelay();
}
