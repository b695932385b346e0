package io.distill.api.ratelimit;

/** A user went over the submission limit; {@code retryAfterSeconds} until the window resets. */
public class RateLimitedException extends RuntimeException {
    private final int retryAfterSeconds;

    public RateLimitedException(int perMinute, int retryAfterSeconds) {
        super("more than " + perMinute + " submissions in a minute; retry in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
