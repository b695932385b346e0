package io.distill.model;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What happens after a failed attempt: another attempt later (exponential backoff with equal
 * jitter, bounded by {@code max_retries}) or a terminal failure. Validation errors are final.
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(5));

    public sealed interface Decision permits Retry, GiveUp {}

    public record Retry(Duration delay) implements Decision {}

    public record GiveUp() implements Decision {}

    public Decision afterFailure(ErrorClass error, int retryCount, int maxRetries) {
        return afterFailure(error.retryable(), retryCount, maxRetries, null);
    }

    /**
     * @param notBefore what the failing party asked for (a provider's {@code Retry-After}): the next
     *                  attempt waits at least that long, whatever the backoff says
     */
    public Decision afterFailure(boolean retryable, int retryCount, int maxRetries, Duration notBefore) {
        if (!retryable || retryCount >= maxRetries) {
            return new GiveUp();
        }
        if (notBefore != null) {
            return new Retry(notBefore);
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retryCount, 20));
        // "equal jitter": at least half the backoff, so retries never bunch up at zero
        long delay = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
        return new Retry(Duration.ofMillis(delay));
    }
}
