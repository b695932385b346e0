package io.distill.api.jobs;

import static io.distill.api.rows.Rows.instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** What a user sees of one job: where it came from (file, record, run, an earlier job it reused), its state and result. */
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
        Long fileSize,
        String fileUrl,
        String contentSha256,
        String recordId,
        String fieldId,
        String attachmentId,
        UUID reusedFrom,
        UUID runId,
        Map<String, Object> metadata,
        Map<String, Object> options,
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
        /** The row's error, or null when it has none. */
        static JobError of(Row row) {
            String code = row.getString("error_code");
            return code == null ? null : new JobError(code, row.getString("error_message"));
        }
    }

    /** Named, not {@code *}: a statement the client keeps prepared must not change its columns when a migration adds one. */
    static final String COLUMNS = "id, status, progress, current_stage, event_seq, source_kind, filename, format,"
            + " file_size, file_url, content_sha256, record_id, field_id, attachment_id, reused_from, run_id, metadata,"
            + " options, project_id, project_version, llm_calls, result, error_code, error_message, retry_count,"
            + " max_retries, next_retry_at, stage_timings, created_at, started_at, completed_at, updated_at";

    static JobView of(Row row) {
        return new JobView(
                row.getUUID("id"),
                row.getString("status"),
                row.getInteger("progress"),
                row.getString("current_stage"),
                row.getLong("event_seq"),
                row.getString("source_kind"),
                row.getString("filename"),
                row.getString("format"),
                row.getLong("file_size"),
                row.getString("file_url"),
                row.getString("content_sha256"),
                row.getString("record_id"),
                row.getString("field_id"),
                row.getString("attachment_id"),
                row.getUUID("reused_from"),
                row.getUUID("run_id"),
                map(row, "metadata"),
                map(row, "options"),
                row.getUUID("project_id"),
                row.getInteger("project_version"),
                row.getInteger("llm_calls"),
                map(row, "result"),
                JobError.of(row),
                row.getInteger("retry_count"),
                row.getInteger("max_retries"),
                instant(row, "next_retry_at"),
                map(row, "stage_timings"),
                instant(row, "created_at"),
                instant(row, "started_at"),
                instant(row, "completed_at"),
                instant(row, "updated_at"));
    }

    private static Map<String, Object> map(Row row, String column) {
        io.vertx.core.json.JsonObject json = row.getJsonObject(column);
        return json == null ? null : json.getMap();
    }
}
