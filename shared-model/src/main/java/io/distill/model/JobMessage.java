package io.distill.model;

import java.util.UUID;

/**
 * The record on the jobs topic. It only points at the job row: PostgreSQL is the truth, so a
 * stale or duplicate message can do no harm beyond a failed claim.
 */
public record JobMessage(int schemaVersion, UUID jobId, String userId) {
    public static final int SCHEMA_VERSION = 1;

    public static JobMessage of(UUID jobId, String userId) {
        return new JobMessage(SCHEMA_VERSION, jobId, userId);
    }
}
