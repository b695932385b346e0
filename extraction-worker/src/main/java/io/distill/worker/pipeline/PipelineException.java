package io.distill.worker.pipeline;

import io.distill.model.ErrorClass;
import java.time.Duration;

/**
 * A stage's classified failure: the class decides retry or not (unless the failure itself is known
 * to be permanent, e.g. a provider that refused the key), the detail is shown to the user, and a
 * provider that said when to come back ({@code Retry-After}) is not asked again before then.
 */
public class PipelineException extends RuntimeException {
    private final ErrorClass errorClass;
    private final boolean retryable;
    private final Duration retryAfter;

    public PipelineException(ErrorClass errorClass, String detail) {
        this(errorClass, detail, errorClass.retryable(), null, null);
    }

    public PipelineException(ErrorClass errorClass, String detail, Throwable cause) {
        this(errorClass, detail, errorClass.retryable(), null, cause);
    }

    public PipelineException(
            ErrorClass errorClass, String detail, boolean retryable, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.errorClass = errorClass;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A failure that another attempt would only repeat. */
    public static PipelineException permanent(ErrorClass errorClass, String detail, Throwable cause) {
        return new PipelineException(errorClass, detail, false, null, cause);
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The earliest the next attempt may start, or null to use the backoff. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public String reason() {
        return errorClass.reason(getMessage());
    }
}
