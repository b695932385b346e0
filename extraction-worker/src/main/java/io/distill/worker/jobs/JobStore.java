package io.distill.worker.jobs;

import io.distill.model.JobStatus;
import io.distill.model.Stage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every write the worker makes to a job, each one compare-and-set: a claim only succeeds on a
 * pending job or an expired lease; every later write names the lease version it holds. Blocking
 * calls, made on the pipeline's worker threads.
 */
@ApplicationScoped
public class JobStore {
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private static final String CLAIM = """
            update extraction_jobs set
                status = 'processing', lease_owner = $2,
                lease_expires_at = now() + make_interval(secs => $3), lease_version = lease_version + 1,
                started_at = coalesce(started_at, now()), current_stage = 'LOAD', event_seq = event_seq + 1,
                error_code = null, error_message = null
            where id = $1 and (
                (status = 'pending' and (next_retry_at is null or next_retry_at <= now()))
                or (status = 'processing' and lease_expires_at < now()))
            returning id, user_id, source_kind, source_text, file_url, filename, format, options, metadata,
                      progress, event_seq, retry_count, max_retries, lease_version, project_id, project_version""";

    private static final String ADVANCE = """
            update extraction_jobs set
                progress = greatest(progress, $3), current_stage = $4, event_seq = event_seq + 1,
                lease_expires_at = now() + make_interval(secs => $5), stage_timings = stage_timings || $6
            where id = $1 and lease_version = $2 and status = 'processing'
            returning progress, event_seq""";

    private static final String RENEW = """
            update extraction_jobs j set lease_expires_at = now() + make_interval(secs => $3)
            from unnest($1::uuid[], $2::bigint[]) as held(id, version)
            where j.id = held.id and j.lease_version = held.version and j.status = 'processing'
            returning j.id""";

    private static final String COMPLETE = """
            update extraction_jobs set
                status = 'completed', progress = 100, current_stage = 'EMIT', event_seq = event_seq + 1,
                result = $3, stage_timings = stage_timings || $4, completed_at = now(),
                lease_owner = null, lease_expires_at = null, next_retry_at = null
            where id = $1 and lease_version = $2 and status = 'processing'
            returning event_seq""";

    private static final String INSERT_RESULT = """
            insert into extraction_results (job_id, user_id, extractor, payload, project_id, project_version, model,
                provider_response_id, latency_ms, prompt_tokens, completion_tokens, cost_usd, telemetry)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            on conflict (job_id) do nothing""";

    private static final String COUNT_LLM_CALLS = """
            update extraction_jobs set llm_calls = llm_calls + $3
            where id = $1 and lease_version = $2""";

    private static final String FAIL = """
            update extraction_jobs set
                status = $3, error_code = $4, error_message = $5, event_seq = event_seq + 1,
                retry_count = retry_count + $6, next_retry_at = $7, stage_timings = stage_timings || $8,
                completed_at = case when $3 = 'failed' then now() end,
                lease_owner = null, lease_expires_at = null
            where id = $1 and lease_version = $2 and status = 'processing'
            returning progress, event_seq""";

    private final Pool pool;
    private final WorkerIdentity worker;
    private final Duration leaseDuration;

    public JobStore(Pool pool, WorkerIdentity worker,
                    @ConfigProperty(name = "distill.worker.lease-duration") Duration leaseDuration) {
        this.pool = pool;
        this.worker = worker;
        this.leaseDuration = leaseDuration;
    }

    /** Takes the job if it is free to take; empty when another worker holds it or it is already done. */
    public Optional<ClaimedJob> claim(UUID jobId) {
        RowIterator<Row> rows = pool.preparedQuery(CLAIM)
                .execute(Tuple.of(jobId, worker.id(), seconds(leaseDuration)))
                .await().atMost(DB_TIMEOUT).iterator();
        if (!rows.hasNext()) {
            return Optional.empty();
        }
        Row r = rows.next();
        return Optional.of(new ClaimedJob(r.getUUID("id"), r.getString("user_id"), r.getString("source_kind"),
                r.getString("source_text"), r.getString("file_url"), r.getString("filename"), r.getString("format"),
                map(r.getJsonObject("options")), map(r.getJsonObject("metadata")), r.getInteger("progress"),
                r.getLong("event_seq"), r.getInteger("retry_count"), r.getInteger("max_retries"),
                r.getLong("lease_version"), r.getUUID("project_id"), r.getInteger("project_version")));
    }

    /** Records a finished stage and renews the lease; empty when the lease is lost or the job was cancelled. */
    public Optional<Progress> advance(ClaimedJob job, Stage stage, int progress, Map<String, Long> timings) {
        RowIterator<Row> rows = pool.preparedQuery(ADVANCE)
                .execute(Tuple.tuple().addValue(job.id()).addValue(job.leaseVersion()).addValue(progress)
                        .addValue(stage.name()).addValue(seconds(leaseDuration)).addValue(timingsJson(timings)))
                .await().atMost(DB_TIMEOUT).iterator();
        return rows.hasNext() ? Optional.of(progressOf(rows.next())) : Optional.empty();
    }

    /** Renews the leases of the jobs in flight; returns the ids whose lease is still held. */
    public List<UUID> renew(Collection<ClaimedJob> held) {
        UUID[] ids = held.stream().map(ClaimedJob::id).toArray(UUID[]::new);
        Long[] versions = held.stream().map(ClaimedJob::leaseVersion).toArray(Long[]::new);
        return pool.preparedQuery(RENEW).execute(Tuple.of(ids, versions, seconds(leaseDuration)))
                .await().atMost(DB_TIMEOUT).stream().map(r -> r.getUUID("id")).toList();
    }

    /** What PERSIST writes besides the job row: the result row's columns and the typed records. */
    public record Completion(String extractor, JsonObject result, Telemetry telemetry,
                             java.util.function.Function<SqlConnection, Uni<JsonObject>> typedRecords) {
    }

    /** Provider telemetry kept in its own columns, so cost and latency can be queried without the payload. */
    public record Telemetry(String model, String responseId, Integer latencyMs, Integer promptTokens,
                            Integer completionTokens, java.math.BigDecimal costUsd, JsonObject details) {
    }

    /**
     * Marks the job completed (its stage: the last one, EMIT, which announces it right after),
     * stores its one result and writes its typed records, in one transaction. Returns the event
     * sequence of the completion, or empty (and writes nothing) if the lease was lost.
     */
    public Optional<Long> complete(ClaimedJob job, Completion completion, Map<String, Long> timings) {
        return pool.withTransaction(conn -> completion.typedRecords().apply(conn).chain(records -> {
                    JsonObject result = records.isEmpty() ? completion.result() : completion.result().copy().put("records", records);
                    return conn.preparedQuery(COMPLETE).execute(Tuple.of(job.id(), job.leaseVersion(), result, timingsJson(timings)))
                            .chain(rows -> {
                                if (rows.rowCount() == 0) {
                                    // the typed writes roll back with the transaction
                                    return Uni.createFrom().failure(new LeaseLost());
                                }
                                long seq = rows.iterator().next().getLong("event_seq");
                                Telemetry t = completion.telemetry();
                                return conn.preparedQuery(INSERT_RESULT)
                                        .execute(Tuple.tuple().addValue(job.id()).addValue(job.userId())
                                                .addValue(completion.extractor()).addValue(result)
                                                .addValue(job.projectId()).addValue(job.projectVersion())
                                                .addValue(t.model()).addValue(t.responseId()).addValue(t.latencyMs())
                                                .addValue(t.promptTokens()).addValue(t.completionTokens())
                                                .addValue(t.costUsd()).addValue(t.details()))
                                        .replaceWith(Optional.of(seq));
                            });
                }))
                .onFailure(LeaseLost.class).recoverWithItem(Optional.empty())
                .await().atMost(DB_TIMEOUT);
    }

    /** Rolls a completion back when the lease turned out to be lost. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }

    /** Adds provider HTTP requests to the job's count (kept across attempts). */
    public void countLlmCalls(ClaimedJob job, int calls) {
        if (calls > 0) {
            pool.preparedQuery(COUNT_LLM_CALLS).execute(Tuple.of(job.id(), job.leaseVersion(), calls)).await().atMost(DB_TIMEOUT);
        }
    }

    /**
     * Ends this attempt with an error: back to pending at {@code retryAt}, or failed when
     * {@code retryAt} is null. Empty if the lease was lost.
     */
    public Optional<Progress> fail(ClaimedJob job, String errorCode, String message, Instant retryAt, Map<String, Long> timings) {
        JobStatus next = retryAt == null ? JobStatus.FAILED : JobStatus.PENDING;
        Tuple params = Tuple.tuple().addValue(job.id()).addValue(job.leaseVersion()).addValue(next.dbValue())
                .addValue(errorCode).addValue(truncate(message)).addValue(retryAt == null ? 0 : 1)
                .addValue(retryAt == null ? null : retryAt.atOffset(ZoneOffset.UTC))
                .addValue(timingsJson(timings));
        RowIterator<Row> rows = pool.preparedQuery(FAIL).execute(params).await().atMost(DB_TIMEOUT).iterator();
        return rows.hasNext() ? Optional.of(progressOf(rows.next())) : Optional.empty();
    }

    /** Progress and event sequence as stored: the source of every event's numbers. */
    public record Progress(int progress, long seq) {
    }

    private static Progress progressOf(Row row) {
        return new Progress(row.getInteger("progress"), row.getLong("event_seq"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 2000);
    }

    private static JsonObject timingsJson(Map<String, Long> timings) {
        return new JsonObject(new java.util.HashMap<String, Object>(timings));
    }

    private static Map<String, Object> map(JsonObject json) {
        return json == null ? Map.of() : json.getMap();
    }
}
