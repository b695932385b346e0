package io.distill.model;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a job's progress, published by the worker on the events topic (keyed by job id) and
 * streamed by the gateway. {@code seq} grows with every event of a job, across workers and
 * attempts, so clients can order and de-duplicate; the gateway keeps {@code progress} from going back ({@link ProgressRule#follow}).
 */
public record ProgressEvent(
        int schemaVersion,
        UUID jobId,
        String userId,
        Stage stage,
        JobStatus status,
        int progress,
        long seq,
        Instant timestamp,
        String errorCode,
        String errorMessage) {

    public static final int SCHEMA_VERSION = 1;

    public ProgressEvent {
        progress = ProgressRule.clamp(progress);
    }

    public static ProgressEvent of(UUID jobId, String userId, Stage stage, JobStatus status, int progress, long seq) {
        return new ProgressEvent(
                SCHEMA_VERSION, jobId, userId, stage, status, progress, seq, Instant.now(), null, null);
    }

    public ProgressEvent withProgress(int raised) {
        return new ProgressEvent(
                schemaVersion, jobId, userId, stage, status, raised, seq, timestamp, errorCode, errorMessage);
    }

    public ProgressEvent withError(String code, String message) {
        return new ProgressEvent(schemaVersion, jobId, userId, stage, status, progress, seq, timestamp, code, message);
    }
}
