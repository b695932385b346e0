package io.distill.api.ratelimit;

/**
 * A user went over a limit: the submission rate ({@code rate_limited}) or the daily LLM budget
 * ({@code budget_exhausted}); {@code retryAfterSeconds} until it resets.
 */
public class RateLimitedException extends RuntimeException {
    private final String code;
    private final int retryAfterSeconds;

    public RateLimitedException(int perMinute, int retryAfterSeconds) {
        this(
                "rate_limited",
                "more than " + perMinute + " submissions in a minute; retry in " + retryAfterSeconds + " s",
                retryAfterSeconds);
    }

    public RateLimitedException(String code, String reason, int retryAfterSeconds) {
        super(reason);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
