package io.distill.api.jobs;

import static io.distill.api.rows.Rows.instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * One job in a list: its state, never its result or metadata, so a page of 100 jobs stays small
 * whatever the jobs hold; {@code GET /api/jobs/{id}} gives the whole job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSummary(
        UUID id,
        String status,
        int progress,
        String stage,
        long seq,
        String sourceKind,
        String filename,
        String format,
        UUID projectId,
        Integer projectVersion,
        JobView.JobError error,
        int retryCount,
        Instant createdAt,
        Instant completedAt,
        Instant updatedAt) {

    static final String COLUMNS =
            "id, status, progress, current_stage, event_seq, source_kind, filename, format, project_id, "
                    + "project_version, error_code, error_message, retry_count, created_at, completed_at, updated_at";

    static JobSummary of(Row row) {
        return new JobSummary(
                row.getUUID("id"),
                row.getString("status"),
                row.getInteger("progress"),
                row.getString("current_stage"),
                row.getLong("event_seq"),
                row.getString("source_kind"),
                row.getString("filename"),
                row.getString("format"),
                row.getUUID("project_id"),
                row.getInteger("project_version"),
                JobView.JobError.of(row),
                row.getInteger("retry_count"),
                instant(row, "created_at"),
                instant(row, "completed_at"),
                instant(row, "updated_at"));
    }
}
