package io.distill.model;

import java.time.Instant;
import java.util.UUID;

/** Progress of an extraction run, on the run events topic (keyed by run id) beside the job events. */
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
        Instant timestamp) {

    public static final int SCHEMA_VERSION = 1;
}
