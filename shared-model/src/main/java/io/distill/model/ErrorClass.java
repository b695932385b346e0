package io.distill.model;

import java.util.Locale;

/**
 * Why a job failed, as one closed set. The code is what users and dashboards see
 * ({@code validation_error:text is empty}); {@link #retryable()} decides whether the lifecycle
 * schedules another attempt.
 */
public enum ErrorClass {
    /** The input or the extracted record is wrong; trying again gives the same answer. */
    VALIDATION_ERROR(false),
    /** The LLM provider failed (timeout, 5xx, 429, malformed answer). */
    PROVIDER_ERROR(true),
    /** PostgreSQL or storage failed while the job was running. */
    PERSISTENCE_ERROR(true),
    /** The user's daily LLM budget is spent, or the job's token cap reached: no more model calls. */
    BUDGET_ERROR(false),
    /** The job's source could not be read (missing file, unsupported source kind). */
    SOURCE_ERROR(false),
    /** A bug or an unexpected exception: retried, since it may be transient. */
    INTERNAL_ERROR(true);

    private final boolean retryable;

    ErrorClass(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The user-facing reason, e.g. {@code provider_error:HTTP 503}. */
    public String reason(String detail) {
        return code() + ":" + detail;
    }
}
