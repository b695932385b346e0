package io.distill.model;

import java.time.Instant;
import java.util.UUID;

/**
 * Progress of an extraction run, on the run events topic (keyed by run id) beside the job events:
 * {@code userId} is the user whose jobs it covers (null: every user's); {@code errorCode} says why a
 * failed run failed.
 */
public record RunEvent(
        int schemaVersion,
        UUID runId,
        String userId,
        RunStatus status,
        int considered,
        int processed,
        int extracted,
        int inserted,
        int updated,
        int pointsInserted,
        String errorCode,
        Instant timestamp) {

    public static final int SCHEMA_VERSION = 1;
}
