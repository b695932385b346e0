package io.distill.api.jobs;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A row of {@code extraction_jobs} as the API sees it. The API creates jobs; the columns the worker
 * owns (progress, lease, result…) are read-only here so that a stale entity can never overwrite them.
 */
@Entity
@Table(name = "extraction_jobs")
public class JobEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "source_kind")
    public String sourceKind;
    public String filename;
    @Column(name = "file_url")
    public String fileUrl;
    @Column(name = "file_size")
    public Long fileSize;
    public String format;
    @Column(name = "source_text")
    public String sourceText;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> options;
    public String status;
    @Column(name = "max_retries")
    public int maxRetries;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "project_id")
    public UUID projectId;
    @Column(name = "project_version")
    public Integer projectVersion;
    @Column(name = "llm_calls", insertable = false, updatable = false)
    public int llmCalls;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    @Column(name = "request_hash")
    public String requestHash;

    @Column(insertable = false, updatable = false)
    public int progress;
    @Column(name = "current_stage", insertable = false, updatable = false)
    public String currentStage;
    @Column(name = "event_seq", insertable = false, updatable = false)
    public long eventSeq;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(insertable = false, updatable = false)
    public Map<String, Object> result;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "stage_timings", insertable = false, updatable = false)
    public Map<String, Object> stageTimings;
    @Column(name = "error_code", insertable = false, updatable = false)
    public String errorCode;
    @Column(name = "error_message", insertable = false, updatable = false)
    public String errorMessage;
    @Column(name = "retry_count", insertable = false, updatable = false)
    public int retryCount;
    @Column(name = "next_retry_at", insertable = false, updatable = false)
    public Instant nextRetryAt;
    @Column(name = "started_at", insertable = false, updatable = false)
    public Instant startedAt;
    @Column(name = "completed_at", insertable = false, updatable = false)
    public Instant completedAt;
    @Column(name = "updated_at", insertable = false, updatable = false)
    public Instant updatedAt;
}
