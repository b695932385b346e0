package io.distill.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What a user sees of one job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        UUID id,
        String status,
        int progress,
        String stage,
        long seq,
        String sourceKind,
        String filename,
        String format,
        Map<String, Object> metadata,
        UUID projectId,
        Integer projectVersion,
        int llmCalls,
        Map<String, Object> result,
        JobError error,
        int retryCount,
        int maxRetries,
        Instant nextRetryAt,
        Map<String, Object> stageTimings,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt) {

    public record JobError(String code, String message) {
    }

    static JobView of(JobEntity job) {
        JobError error = job.errorCode == null ? null : new JobError(job.errorCode, job.errorMessage);
        return new JobView(job.id, job.status, job.progress, job.currentStage, job.eventSeq, job.sourceKind,
                job.filename, job.format, job.metadata, job.projectId, job.projectVersion, job.llmCalls, job.result, error, job.retryCount, job.maxRetries,
                job.nextRetryAt, job.stageTimings, job.createdAt, job.startedAt, job.completedAt, job.updatedAt);
    }
}
